package org.loom.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request parameters come from the query string only. The servlet container would otherwise also parse a
 * form-encoded body the first time anything asks for a parameter, consuming the body a controller reads as JSON or
 * as raw bytes (federation signatures cover those exact bytes). The protocol has no form bodies.
 */
public class QueryParametersFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new QueryOnlyRequest(request), response);
    }

    /** Parameters of a raw query string; a malformed escape keeps its raw text rather than failing the request. */
    static Map<String, String[]> parse(String query) {
        Map<String, List<String>> collected = new LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                collected.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            }
        }
        Map<String, String[]> parameters = new LinkedHashMap<>();
        collected.forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
        return Collections.unmodifiableMap(parameters);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static final class QueryOnlyRequest extends HttpServletRequestWrapper {

        private Map<String, String[]> parameters;

        QueryOnlyRequest(HttpServletRequest request) {
            super(request);
        }

        private Map<String, String[]> parameters() {
            if (parameters == null) {
                parameters = parse(getQueryString());
            }
            return parameters;
        }

        /**
         * A form content type is hidden: Spring rebuilds the body of a form POST from the request parameters, which
         * here are the query's, so a JSON body sent as {@code curl -d} would arrive empty.
         */
        @Override
        public String getContentType() {
            String contentType = super.getContentType();
            if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT)
                    .startsWith("application/x-www-form-urlencoded")) {
                return "application/octet-stream";
            }
            return contentType;
        }

        @Override
        public String getParameter(String name) {
            String[] values = parameters().get(name);
            return values == null ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return parameters();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(parameters().keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            String[] values = parameters().get(name);
            return values == null ? null : values.clone();
        }
    }
}
