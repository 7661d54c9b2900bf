package org.loom.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.loom.protocol.id.LoomIds;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives each request its id (see {@link RequestIds}) before anything else can fail, so even a request refused by a
 * guard is answered with the id in the header and the error body and logged under it.
 */
public class RequestIdFilter extends OncePerRequestFilter {

    private final boolean acceptIncoming;

    /**
     * @param acceptIncoming keep a well-formed id the caller sent (internal services, behind the gateway); otherwise
     *     every request gets a new one
     */
    public RequestIdFilter(boolean acceptIncoming) {
        this.acceptIncoming = acceptIncoming;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String incoming = request.getHeader(RequestIds.HEADER);
        String id = acceptIncoming && RequestIds.isWellFormed(incoming) ? incoming : LoomIds.newRequestId();
        request.setAttribute(RequestIds.ATTRIBUTE, id);
        response.setHeader(RequestIds.HEADER, id);
        MDC.put(RequestIds.MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
    }
}
