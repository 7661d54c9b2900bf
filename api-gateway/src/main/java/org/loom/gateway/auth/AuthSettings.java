package org.loom.gateway.auth;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Lifetimes of proof-of-key challenges and bearer tokens, and how expired ones are cleared away. A bare number is
 * read as milliseconds, the unit of the {@code LOOM_AUTH_*_MS} variables; an unset or blank value takes the default.
 *
 * @param accessTokenTtl  how long an access token works (the protocol's one hour)
 * @param refreshTokenTtl how long a refresh token works (the protocol's 30 days)
 * @param challengeTtl    how long a challenge nonce may be signed and exchanged
 * @param sweepInterval   pause between two clearings of expired challenges and tokens
 * @param sweepBatchSize  most rows one clearing deletes per table, so a backlog never holds long locks
 */
@ConfigurationProperties("loom.auth")
public record AuthSettings(
        @DurationUnit(ChronoUnit.MILLIS) Duration accessTokenTtl,
        @DurationUnit(ChronoUnit.MILLIS) Duration refreshTokenTtl,
        @DurationUnit(ChronoUnit.MILLIS) Duration challengeTtl,
        @DurationUnit(ChronoUnit.MILLIS) Duration sweepInterval,
        Integer sweepBatchSize) {

    public static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_REFRESH_TOKEN_TTL = Duration.ofDays(30);
    public static final Duration DEFAULT_CHALLENGE_TTL = Duration.ofMinutes(2);
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(1);
    public static final int DEFAULT_SWEEP_BATCH_SIZE = 500;

    public AuthSettings {
        accessTokenTtl = positiveOr(accessTokenTtl, DEFAULT_ACCESS_TOKEN_TTL, "access-token-ttl");
        refreshTokenTtl = positiveOr(refreshTokenTtl, DEFAULT_REFRESH_TOKEN_TTL, "refresh-token-ttl");
        challengeTtl = positiveOr(challengeTtl, DEFAULT_CHALLENGE_TTL, "challenge-ttl");
        sweepInterval = positiveOr(sweepInterval, DEFAULT_SWEEP_INTERVAL, "sweep-interval");
        if (sweepBatchSize == null) {
            sweepBatchSize = DEFAULT_SWEEP_BATCH_SIZE;
        } else if (sweepBatchSize < 1) {
            throw new IllegalArgumentException("loom.auth.sweep-batch-size must be at least 1, got " + sweepBatchSize);
        }
    }

    /** The access token lifetime in whole seconds, as {@code expires_in} states it. */
    public long accessTokenTtlSeconds() {
        return accessTokenTtl.toSeconds();
    }

    private static Duration positiveOr(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("loom.auth." + name + " must be positive, got " + value);
        }
        return value;
    }
}
