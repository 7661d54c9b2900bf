package org.loom.gateway.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.loom.protocol.error.LoomException;
import org.loom.service.web.ProtocolErrorResponses;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The one place that decides whether a request comes from the node's operator: its {@value #HEADER} header equals
 * {@code LOOM_ADMIN_TOKEN}, compared in constant time. With no token configured there is no operator, and admin
 * routes do not exist (404 "Route not found", as any unknown route).
 */
@Component
@EnableConfigurationProperties(AdminSettings.class)
public class AdminAccess {

    /** The request header carrying the admin token. */
    public static final String HEADER = "x-loom-admin-token";

    /** The restore route, whose body (a whole backup) is exempt from the request body limit for the operator. */
    public static final String RESTORE_PATH = "/v1/admin/persistence/restore";

    private final AdminSettings settings;
    private final byte[] token;

    public AdminAccess(AdminSettings settings) {
        this.settings = settings;
        this.token = settings.enabled() ? settings.token().getBytes(StandardCharsets.UTF_8) : null;
    }

    /** True when the request carries the configured admin token. */
    public boolean isAdmin(HttpServletRequest request) {
        String presented = request.getHeader(HEADER);
        return token != null && presented != null
                && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Lets the operator through.
     *
     * @throws LoomException 404 "Route not found" when no admin token is configured; 403 {@code CAPABILITY_DENIED}
     *                       "Admin token required" {@code {field: "x-loom-admin-token"}} when the request lacks it
     */
    public void requireAdmin(HttpServletRequest request) {
        if (token == null) {
            throw ProtocolErrorResponses.routeNotFound(request.getMethod(), request.getRequestURI());
        }
        if (!isAdmin(request)) {
            throw LoomException.capabilityDenied("Admin token required", LoomException.details("field", HEADER));
        }
    }

    /** The settings behind this check. */
    public AdminSettings settings() {
        return settings;
    }
}
