package org.loom.gateway.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * Bearer tokens handed to a client.
 *
 * @param actor            whom they authenticate
 * @param accessToken      {@code at_...}
 * @param refreshToken     {@code rt_...}; empty when an access token was refreshed, since the refresh token used
 *                         stays valid
 * @param expiresInSeconds the access token's lifetime
 */
public record IssuedTokens(Actor actor, String accessToken, Optional<String> refreshToken, long expiresInSeconds) {

    public IssuedTokens {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
    }
}
