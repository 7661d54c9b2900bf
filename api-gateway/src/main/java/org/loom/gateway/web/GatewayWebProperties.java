package org.loom.gateway.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The gateway's request guards and readiness settings, bound from the reference node's {@code LOOM_*} names in
 * {@code gateway-web.yml}.
 *
 * @param maxBodyBytes largest request body accepted ({@code LOOM_MAX_BODY_BYTES}); 0 disables the limit
 * @param rateLimitWindowMs length of a fixed rate-limit window ({@code LOOM_RATE_LIMIT_WINDOW_MS})
 * @param rateLimitDefaultMax requests per window and client outside the sensitive routes
 *     ({@code LOOM_RATE_LIMIT_DEFAULT_MAX}); 0 disables the bucket
 * @param rateLimitSensitiveMax requests per window and client on the sensitive routes
 *     ({@code LOOM_RATE_LIMIT_SENSITIVE_MAX}); 0 disables the bucket
 * @param rateLimitMaxTrackedClients most (bucket, client) windows kept in memory per replica
 * @param trustedProxies addresses and CIDR ranges of proxies whose {@code X-Forwarded-For} or {@code Forwarded} is
 *     believed ({@code LOOM_TRUSTED_PROXIES}, comma-separated); empty: the socket address is the client
 * @param readyCheckTimeoutMs how long {@code /ready} waits for one dependency to answer
 * @param readyCacheMs how long a readiness answer is reused
 */
@ConfigurationProperties("loom.gateway.web")
public record GatewayWebProperties(
        @DefaultValue("2097152") long maxBodyBytes,
        @DefaultValue("60000") long rateLimitWindowMs,
        @DefaultValue("2000") int rateLimitDefaultMax,
        @DefaultValue("120") int rateLimitSensitiveMax,
        @DefaultValue("100000") int rateLimitMaxTrackedClients,
        List<String> trustedProxies,
        @DefaultValue("2000") long readyCheckTimeoutMs,
        @DefaultValue("1000") long readyCacheMs) {

    public GatewayWebProperties {
        requireNotNegative("max-body-bytes", maxBodyBytes);
        requireNotNegative("rate-limit-default-max", rateLimitDefaultMax);
        requireNotNegative("rate-limit-sensitive-max", rateLimitSensitiveMax);
        requireNotNegative("ready-cache-ms", readyCacheMs);
        if (rateLimitWindowMs <= 0) {
            throw new IllegalArgumentException("loom.gateway.web.rate-limit-window-ms must be positive");
        }
        if (rateLimitMaxTrackedClients <= 0) {
            throw new IllegalArgumentException("loom.gateway.web.rate-limit-max-tracked-clients must be positive");
        }
        if (readyCheckTimeoutMs <= 0) {
            throw new IllegalArgumentException("loom.gateway.web.ready-check-timeout-ms must be positive");
        }
        trustedProxies = trustedProxies == null ? List.of()
                : trustedProxies.stream().map(String::trim).filter(entry -> !entry.isEmpty()).toList();
    }

    private static void requireNotNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("loom.gateway.web." + name + " must not be negative");
        }
    }
}
