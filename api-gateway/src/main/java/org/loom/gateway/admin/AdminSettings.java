package org.loom.gateway.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The node's admin token ({@code LOOM_ADMIN_TOKEN}). Unset or blank, there is no administrator and admin routes do
 * not exist.
 *
 * @param token the secret a client presents in {@code x-loom-admin-token}
 */
@ConfigurationProperties("loom.admin")
public record AdminSettings(String token) {

    public AdminSettings {
        token = token == null || token.isBlank() ? null : token;
    }

    /** True when an admin token is configured. */
    public boolean enabled() {
        return token != null;
    }
}
