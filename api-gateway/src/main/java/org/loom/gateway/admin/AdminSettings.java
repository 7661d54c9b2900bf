package org.loom.gateway.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Operator access, bound from {@code loom.admin.*}.
 *
 * @param token         the value {@code x-loom-admin-token} must carry ({@code LOOM_ADMIN_TOKEN}); blank: no admin
 *                      routes at all (they answer 404, as any unknown route)
 * @param metricsPublic whether {@code GET /metrics} is open to everyone ({@code LOOM_METRICS_PUBLIC})
 */
@ConfigurationProperties("loom.admin")
public record AdminSettings(String token, @DefaultValue("false") boolean metricsPublic) {

    public AdminSettings {
        token = token == null || token.isBlank() ? null : token;
    }

    /** Whether an admin token is configured. */
    public boolean enabled() {
        return token != null;
    }
}
