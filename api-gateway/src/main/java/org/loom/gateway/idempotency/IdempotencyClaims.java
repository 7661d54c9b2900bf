package org.loom.gateway.idempotency;

import jakarta.servlet.ServletRequest;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What a handler tells the idempotency mechanism about the request it is serving.
 *
 * <p>A handler that publishes a command calls {@link #awaitingCommand} before publishing. If the decision then comes
 * too late and the handler answers {@code DECISION_PENDING}, the claim stays pending instead of being released, and
 * the command's result completes it whenever and wherever it arrives.
 */
@Component
public class IdempotencyClaims {

    static final String CLAIM_ATTRIBUTE = IdempotencyClaims.class.getName() + ".claim";
    static final String CORRELATION_ATTRIBUTE = IdempotencyClaims.class.getName() + ".correlation";

    private final IdempotencyStore store;

    public IdempotencyClaims(IdempotencyStore store) {
        this.store = store;
    }

    /**
     * Records that the request is about to publish the command with this correlation id. Does nothing to the
     * database when the request holds no idempotency claim.
     */
    public void awaitingCommand(ServletRequest request, String correlationId) {
        Objects.requireNonNull(correlationId, "correlationId");
        request.setAttribute(CORRELATION_ATTRIBUTE, correlationId);
        claimOf(request).ifPresent(recordId -> store.attachCorrelation(recordId, correlationId));
    }

    static Optional<Long> claimOf(ServletRequest request) {
        return request.getAttribute(CLAIM_ATTRIBUTE) instanceof Long recordId ? Optional.of(recordId) : Optional.empty();
    }

    static Optional<String> correlationOf(ServletRequest request) {
        return request.getAttribute(CORRELATION_ATTRIBUTE) instanceof String id ? Optional.of(id) : Optional.empty();
    }
}
