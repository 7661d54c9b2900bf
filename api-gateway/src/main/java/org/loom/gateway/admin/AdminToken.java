package org.loom.gateway.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.service.web.ProtocolErrorResponses;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/** Checks the {@value #HEADER} header of admin routes. */
@Component
@EnableConfigurationProperties(AdminSettings.class)
public class AdminToken {

    public static final String HEADER = "x-loom-admin-token";

    private final AdminSettings settings;

    public AdminToken(AdminSettings settings) {
        this.settings = settings;
    }

    /**
     * Passes when the request carries the configured token.
     *
     * @throws LoomException {@code ENVELOPE_NOT_FOUND} (404) when no token is configured, so admin routes look absent;
     *                       {@code CAPABILITY_DENIED} (403) when the header is missing or wrong
     */
    public void require(HttpServletRequest request) {
        if (!settings.configured()) {
            // Exactly what an unknown route answers, so a node without admin routes does not reveal them.
            throw ProtocolErrorResponses.routeNotFound(request.getMethod(), request.getRequestURI());
        }
        String given = request.getHeader(HEADER);
        // Constant time, so the token cannot be guessed byte by byte from response timings.
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                settings.token().getBytes(StandardCharsets.UTF_8))) {
            throw new LoomException(ErrorCode.CAPABILITY_DENIED, "Admin token required", Map.of());
        }
    }
}
