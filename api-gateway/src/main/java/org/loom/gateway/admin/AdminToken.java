package org.loom.gateway.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Decides whether a request comes from the node's administrator: it carries {@value #HEADER} equal to the configured
 * token. The comparison takes the same time wherever the first difference is, so the token cannot be guessed a
 * character at a time.
 */
@Component
@EnableConfigurationProperties(AdminSettings.class)
public class AdminToken {

    /** The request header carrying the admin token. */
    public static final String HEADER = "x-loom-admin-token";

    /** The restore route, whose body (a whole backup) is exempt from the request body limit for the operator. */
    public static final String RESTORE_PATH = "/v1/admin/persistence/restore";

    private final AdminSettings settings;

    public AdminToken(AdminSettings settings) {
        this.settings = settings;
    }

    /**
     * For a route only the administrator may use.
     *
     * @throws LoomException 404 {@code ENVELOPE_NOT_FOUND} "Route not found" when no token is configured (the route
     *                       does not exist); 403 {@code CAPABILITY_DENIED} "Admin token required" when the request's
     *                       token is missing or wrong
     */
    public void require(HttpServletRequest request) {
        if (!settings.enabled()) {
            throw new LoomException(ErrorCode.ENVELOPE_NOT_FOUND, "Route not found",
                    LoomException.details("method", request.getMethod(), "path", request.getRequestURI()));
        }
        if (!matches(request.getHeader(HEADER))) {
            throw denied();
        }
    }

    /**
     * For a route anyone authenticated may use, where the administrator sees more: true when the request carries the
     * right token. A request without the header is simply not the administrator's.
     *
     * @throws LoomException 403 {@code CAPABILITY_DENIED} when the header is present but the token is wrong
     */
    public boolean presented(HttpServletRequest request) {
        String presented = request.getHeader(HEADER);
        if (presented == null || !settings.enabled()) {
            return false;
        }
        if (!matches(presented)) {
            throw denied();
        }
        return true;
    }

    /** True when the request carries the configured admin token (a missing or wrong one is simply not the admin). */
    public boolean isAdmin(HttpServletRequest request) {
        return settings.enabled() && matches(request.getHeader(HEADER));
    }

    /** The settings behind this check. */
    public AdminSettings settings() {
        return settings;
    }

    private boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                settings.token().getBytes(StandardCharsets.UTF_8));
    }

    private static LoomException denied() {
        return LoomException.capabilityDenied("Admin token required", LoomException.details("field", HEADER));
    }
}
