package org.loom.gateway.idempotency;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.loom.protocol.error.LoomException;
import org.loom.service.web.ForwardedIdempotencyKey;

/**
 * The idempotency key a client sent: the first non-blank of {@code Idempotency-Key}, {@code X-Idempotency-Key} and
 * {@code X-LOOM-Idempotency-Key}, trimmed, at most {@value #MAX_LENGTH} characters.
 *
 * @param value the trimmed key
 */
public record IdempotencyKey(String value) {

    /** The longest key accepted. */
    public static final int MAX_LENGTH = 200;

    /** The request headers that may carry a key, in the order they are consulted. */
    public static final List<String> HEADERS = ForwardedIdempotencyKey.HEADERS;

    public IdempotencyKey {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_LENGTH || !value.equals(value.strip())) {
            throw new IllegalArgumentException("an idempotency key is 1 to " + MAX_LENGTH + " trimmed characters");
        }
    }

    /**
     * The key of a request, or empty when it names none.
     *
     * @throws LoomException {@code ENVELOPE_INVALID} "Idempotency key too long" when the key exceeds
     *         {@value #MAX_LENGTH} characters
     */
    public static Optional<IdempotencyKey> of(HttpServletRequest request) {
        return sent(request).map(key -> {
            if (key.length() > MAX_LENGTH) {
                throw LoomException.invalid("Idempotency key too long",
                        LoomException.details("field", "idempotency_key", "max_length", MAX_LENGTH));
            }
            return new IdempotencyKey(key);
        });
    }

    /** True when the request names a key, valid or not. */
    static boolean isPresent(HttpServletRequest request) {
        return sent(request).isPresent();
    }

    private static Optional<String> sent(HttpServletRequest request) {
        return ForwardedIdempotencyKey.of(request);
    }
}
