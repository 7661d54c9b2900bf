package org.loom.gateway.guard;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.loom.service.web.ProtocolErrorResponses;
import org.loom.service.web.RequestIds;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps {@code /internal/**} off the public port. Every service, the gateway included, maps the operational routes
 * there (status, and the export and import of its tables for backup and restore); on the internal services they are
 * reached over the internal network only, but the gateway's port is the public one, and its export holds identities
 * and tokens. The operator reaches the same data through the admin routes, which check the admin token.
 *
 * <p>The decoded, normalised servlet path is checked, the one Spring MVC matches routes against, so an escaped or
 * dotted spelling of the path finds the same refusal.
 */
public final class InternalRoutesFilter extends OncePerRequestFilter {

    static final String PREFIX = "/internal";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = (request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo()))
                .replaceAll("/{2,}", "/");
        if (path.equals(PREFIX) || path.startsWith(PREFIX + "/")) {
            ProtocolErrorResponses.write(response,
                    ProtocolErrorResponses.routeNotFound(request.getMethod(), request.getRequestURI()),
                    RequestIds.of(request));
            return;
        }
        chain.doFilter(request, response);
    }
}
