package org.loom.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request labelled {@code Content-Type: *}{@code /*} or {@code application/*} names no media type, and Spring MVC
 * fails on such a label before any route can answer. Bodies are read whatever their declared type, so the label is
 * dropped and the request goes on as one without a {@code Content-Type}.
 */
final class WildcardContentTypeFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(isWildcard(request.getContentType()) ? withoutContentType(request) : request, response);
    }

    static boolean isWildcard(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isWildcardType() || type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            // Spring ignores a label it cannot parse at all.
            return false;
        }
    }

    private static HttpServletRequest withoutContentType(HttpServletRequest request) {
        return new HttpServletRequestWrapper(request) {
            @Override
            public String getContentType() {
                return null;
            }

            @Override
            public String getHeader(String name) {
                return isContentType(name) ? null : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return isContentType(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
            }

            @Override
            public Enumeration<String> getHeaderNames() {
                List<String> names = Collections.list(super.getHeaderNames());
                names.removeIf(WildcardContentTypeFilter::isContentType);
                return Collections.enumeration(names);
            }
        };
    }

    private static boolean isContentType(String name) {
        return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name);
    }
}
