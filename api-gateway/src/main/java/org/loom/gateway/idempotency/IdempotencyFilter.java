package org.loom.gateway.idempotency;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Brackets every request that carries an idempotency key: buffers its body so {@link IdempotencyInterceptor} can hash
 * it before the handler reads it, keeps a copy of the answer, and afterwards settles the claim the interceptor made.
 *
 * <p>Settling follows the answer: a 2xx completes the record with the status and body; a {@code DECISION_PENDING}
 * answer of a handler that published a command leaves the record pending for the command's late result; anything else
 * releases the claim, so a retry runs the request again.
 */
final class IdempotencyFilter extends OncePerRequestFilter {

    private static final int DECISION_PENDING_STATUS = 503;

    private final IdempotencyStore store;

    IdempotencyFilter(IdempotencyStore store) {
        this.store = store;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!IdempotencyKey.isPresent(request)) {
            chain.doFilter(request, response);
            return;
        }
        BufferedBodyRequest buffered = BufferedBodyRequest.of(request);
        ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
        boolean handled = false;
        try {
            chain.doFilter(buffered, answer);
            handled = true;
        } finally {
            Optional<Long> claim = IdempotencyClaims.claimOf(buffered);
            if (claim.isPresent()) {
                settle(claim.get(), buffered, handled ? answer.getStatus() : 500, answer);
            }
            answer.copyBodyToResponse();
        }
    }

    private void settle(long recordId, HttpServletRequest request, int status, ContentCachingResponseWrapper answer) {
        if (status >= 200 && status < 300) {
            String body = new String(answer.getContentAsByteArray(), StandardCharsets.UTF_8);
            store.complete(recordId, new StoredResponse(status, body));
        } else if (status == DECISION_PENDING_STATUS && IdempotencyClaims.correlationOf(request).isPresent()) {
            // The command is out; its result completes the record by correlation id.
            return;
        } else {
            store.release(recordId);
        }
    }
}
