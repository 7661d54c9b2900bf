package org.loom.service.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;

/**
 * The idempotency key a client sent with a write that the gateway forwarded to the service owning it.
 *
 * <p>The gateway checks the key and keeps its own record of the answer. When the answer is lost on the way back (the
 * owner or the gateway died mid-request, or the owner answered 502), the gateway frees the key, and the client's retry
 * reaches the owner a second time: the owner reads the key to recognise that retry and answer it with what the first
 * request created, instead of creating it again.
 */
public final class ForwardedIdempotencyKey {

    /** The request headers that may carry a key, in the order they are consulted (the gateway's order). */
    public static final List<String> HEADERS =
            List.of("Idempotency-Key", "X-Idempotency-Key", "X-LOOM-Idempotency-Key");

    private ForwardedIdempotencyKey() {
    }

    /** The first non-blank key of the request, trimmed; empty when it names none. */
    public static Optional<String> of(HttpServletRequest request) {
        for (String header : HEADERS) {
            String value = request.getHeader(header);
            if (value != null && !value.isBlank()) {
                return Optional.of(value.strip());
            }
        }
        return Optional.empty();
    }
}
