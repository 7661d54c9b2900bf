package org.loom.gateway.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator's token for admin routes.
 *
 * @param token the value the {@code x-loom-admin-token} header must carry ({@code LOOM_ADMIN_TOKEN}); when unset,
 *              admin routes do not exist (404), as on the reference node
 */
@ConfigurationProperties("loom.admin")
public record AdminSettings(String token) {

    public AdminSettings {
        token = token == null || token.isBlank() ? "" : token.strip();
    }

    public boolean configured() {
        return !token.isEmpty();
    }
}
