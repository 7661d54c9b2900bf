package org.loom.gateway.auth;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.loom.gateway.identity.IdentityDirectory;
import org.loom.protocol.crypto.Signature;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Proof-of-key authentication (spec §14.2): the node hands out a nonce for one identity's key, and whoever returns
 * the nonce signed by that key gets an access token and a refresh token.
 *
 * <p>Keys are looked up among the keys of the identity that asks, never node-wide, and only active keys count.
 */
@Service
public class ProofOfKey {

    private final IdentityDirectory identities;
    private final CredentialStore store;
    private final AuthSettings settings;
    private final Clock clock = Clock.systemUTC();

    ProofOfKey(IdentityDirectory identities, CredentialStore store, AuthSettings settings) {
        this.identities = identities;
        this.store = store;
        this.settings = settings;
    }

    /**
     * A new challenge for an identity's active key.
     *
     * @throws LoomException {@code IDENTITY_NOT_FOUND} for an unknown identity; {@code SIGNATURE_INVALID} for a key
     *         the identity does not have or has revoked
     */
    @Transactional
    public Challenge challenge(String identity, String keyId) {
        IdentityDirectory.RegisteredIdentity registered = identities.find(identity).orElseThrow(() ->
                new LoomException(ErrorCode.IDENTITY_NOT_FOUND, "Identity not found: " + identity,
                        LoomException.details("identity", identity)));
        if (registered.activeKey(keyId).isEmpty()) {
            throw LoomException.signatureInvalid("Unknown signing key for identity: " + keyId,
                    LoomException.details("field", "key_id"));
        }
        Instant now = now();
        Challenge challenge = new Challenge(LoomIds.next(IdPrefix.CHALLENGE), identity, keyId,
                LoomIds.next(IdPrefix.NONCE), now.plus(settings.challengeTtl()), false);
        store.saveChallenge(challenge, now);
        return challenge;
    }

    /**
     * Exchanges a signed challenge for tokens. The checks run in a fixed order and each failure is a 401
     * {@code SIGNATURE_INVALID}; a failed attempt leaves the challenge usable, a successful one uses it up.
     *
     * @param challengeId the challenge id; may be null
     * @param signature   the nonce's signature in base64url; may be null
     */
    @Transactional
    public IssuedTokens token(String identity, String keyId, String challengeId, String signature) {
        Instant now = now();
        Challenge challenge = Optional.ofNullable(challengeId).flatMap(store::findChallenge).orElseThrow(() ->
                LoomException.signatureInvalid("Challenge not found", LoomException.details("field", "challenge_id")));
        if (challenge.used()) {
            throw LoomException.signatureInvalid("Challenge already used",
                    LoomException.details("field", "challenge_id"));
        }
        if (!challenge.expiresAt().isAfter(now)) {
            throw LoomException.signatureInvalid("Challenge expired", LoomException.details("field", "challenge_id"));
        }
        if (!challenge.identity().equals(identity) || !challenge.keyId().equals(keyId)) {
            throw LoomException.signatureInvalid("Challenge identity/key mismatch",
                    LoomException.details("field", "identity"));
        }
        VerifyingKey key = identities.find(identity)
                .flatMap(registered -> registered.activeKey(keyId))
                .map(IdentityDirectory.IdentityKey::key)
                .orElseThrow(() -> LoomException.signatureInvalid("Unknown signing key: " + keyId,
                        LoomException.details("field", "key_id")));
        if (signature == null || signature.isEmpty()) {
            throw LoomException.signatureInvalid("Missing challenge signature",
                    LoomException.details("field", "signature"));
        }
        boolean verified = Signature.tryParse(signature)
                .map(parsed -> key.verify(challenge.nonce(), parsed))
                .orElse(false);
        if (!verified) {
            throw LoomException.signatureInvalid("Challenge signature verification failed",
                    LoomException.details("field", "signature"));
        }
        if (!store.consumeChallenge(challenge.id(), now)) {
            // Another request with the same signed nonce won the race.
            throw LoomException.signatureInvalid("Challenge already used",
                    LoomException.details("field", "challenge_id"));
        }
        Actor actor = new Actor(identity, keyId);
        String refreshToken = LoomIds.newRefreshToken();
        store.saveRefreshToken(refreshToken, actor, now, now.plus(settings.refreshTokenTtl()));
        return new IssuedTokens(actor, issueAccessToken(actor, now), Optional.of(refreshToken),
                settings.accessTokenTtlSeconds());
    }

    /**
     * A new access token for the holder of a refresh token. The refresh token stays valid until it expires.
     *
     * @throws LoomException {@code SIGNATURE_INVALID} for an unknown or expired refresh token, or one whose key has
     *         been revoked
     */
    @Transactional
    public IssuedTokens refresh(String refreshToken) {
        Instant now = now();
        Actor actor = Optional.ofNullable(refreshToken)
                .filter(token -> !token.isEmpty())
                .flatMap(token -> store.refreshTokenActor(token, now))
                .orElseThrow(() -> LoomException.signatureInvalid("Refresh token invalid or expired",
                        LoomException.details("field", "refresh_token")));
        return new IssuedTokens(actor, issueAccessToken(actor, now), Optional.empty(),
                settings.accessTokenTtlSeconds());
    }

    /** The actor of a live access token whose key is still active. */
    @Transactional(readOnly = true)
    public Optional<Actor> actorOf(String accessToken) {
        return store.accessTokenActor(accessToken, now());
    }

    private String issueAccessToken(Actor actor, Instant now) {
        String accessToken = LoomIds.newAccessToken();
        store.saveAccessToken(accessToken, actor, now, now.plus(settings.accessTokenTtl()));
        return accessToken;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
