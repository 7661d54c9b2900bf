package org.loom.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Actuator endpoints refuse on their own terms: an unknown health component or a bad selector is a bare 4xx with an
 * empty body, outside Spring MVC's exception handling. Under the management base path such a status is turned into a
 * container error, so the {@code /error} page answers it with the protocol error body like every other refusal.
 */
final class ManagementErrorFilter extends OncePerRequestFilter {

    private final String basePath;

    ManagementErrorFilter(String basePath) {
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.equals(basePath) && !path.startsWith(basePath + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
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
}
