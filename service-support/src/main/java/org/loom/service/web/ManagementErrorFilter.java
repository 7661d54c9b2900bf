package org.loom.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Actuator endpoints refuse on their own terms: an unknown health component or a bad selector is a bare 4xx with an
 * empty body, outside Spring MVC's exception handling. Under the management base path such a status is turned into a
 * container error, so the {@code /error} page answers it with the protocol error body like every other refusal.
 *
 * <p>An escaped slash or backslash ({@code %2F}, {@code %5C}) right after the base path or anywhere under it is
 * answered 404 before the endpoints see it: the connector passes {@code %2F} through undecoded (addresses in paths
 * need it), so an endpoint would otherwise get a selector holding a {@code /}, which the health endpoint refuses with
 * an exception (a 500) instead of a 4xx. No endpoint name, health group or component contains a slash.
 */
final class ManagementErrorFilter extends OncePerRequestFilter {

    private final String basePath;

    ManagementErrorFilter(String basePath) {
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.equals(basePath) && !path.startsWith(basePath + "/") && !escapedSlashAfterBase(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        String under = path.substring(basePath.length()).toLowerCase(Locale.ROOT);
        if (under.contains("%2f") || under.contains("%5c")) {
            ProtocolErrorResponses.write(response, ProtocolErrorResponses.routeNotFound(request.getMethod(), path),
                    RequestIds.of(request));
            return;
        }
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void setStatus(int status) {
                if (status >= 400 && status < 500 && !isCommitted()) {
                    try {
                        sendError(status);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return;
                }
                super.setStatus(status);
            }
        });
    }

    private boolean escapedSlashAfterBase(String path) {
        if (!path.startsWith(basePath) || path.length() < basePath.length() + 3) {
            return false;
        }
        String next = path.substring(basePath.length(), basePath.length() + 3).toLowerCase(Locale.ROOT);
        return next.equals("%2f") || next.equals("%5c");
    }
}
