package org.loom.gateway.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A proof-of-key challenge: the nonce one identity's key must sign to obtain tokens.
 *
 * @param id        {@code chl_...}
 * @param identity  the identity that asked
 * @param keyId     the key that must sign
 * @param nonce     {@code nonce_...}, the exact text to sign
 * @param expiresAt after this the challenge is refused
 * @param used      whether it has already been exchanged for tokens
 */
public record Challenge(String id, String identity, String keyId, String nonce, Instant expiresAt, boolean used) {

    public Challenge {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
