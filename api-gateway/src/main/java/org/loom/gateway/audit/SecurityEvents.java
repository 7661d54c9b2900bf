package org.loom.gateway.audit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import org.loom.gateway.guard.ClientAddresses;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.service.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records the gateway's security events in the audit chain (spec §23.2, §25.1): failed proofs of key, bad or expired
 * tokens, envelope signatures that do not verify ({@code security.signature_failure}), and callers reaching beyond
 * their authority ({@code security.scope_violation}).
 *
 * <p>It sees every exception a handler throws before the error body is written, records the event in a transaction
 * of its own (the failed request's own work was rolled back) and leaves the answer to the usual error handling. A
 * request that presented no credential at all is not an event: it is how every anonymous probe looks, and recording
 * it would let anyone grow the chain at will.
 */
@Component
class SecurityEvents implements HandlerExceptionResolver, Ordered {

    static final String SIGNATURE_FAILURE = "security.signature_failure";
    static final String SCOPE_VIOLATION = "security.scope_violation";

    private static final Set<String> NOT_EVENTS = Set.of("Missing bearer token");
    private static final Logger log = LoggerFactory.getLogger(SecurityEvents.class);

    private final AuditTrail audit;
    private final TransactionTemplate transactions;
    private final ClientAddresses clients;

    SecurityEvents(AuditTrail audit, TransactionTemplate transactions, ClientAddresses clients) {
        this.audit = audit;
        this.transactions = transactions;
        this.clients = clients;
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception exception) {
        if (exception instanceof LoomException refusal && !NOT_EVENTS.contains(refusal.getMessage())) {
            String action = action(refusal.code());
            if (action != null) {
                record(action, refusal, request);
            }
        }
        return null;
    }

    private void record(String action, LoomException refusal, HttpServletRequest request) {
        ObjectNode payload = AuditTrail.payload();
        payload.put("code", refusal.code().name());
        payload.put("reason", refusal.getMessage());
        payload.put("method", request.getMethod());
        payload.put("path", request.getRequestURI());
        // The same address the rate limiter counted, so an operator can match a burst of failures to its limit.
        payload.put("client_ip", clients.clientOf(request));
        Object identity = refusal.details().get("identity");
        if (identity instanceof String named) {
            payload.put("identity", named);
        }
        try {
            transactions.executeWithoutResult(status -> audit.record(action, payload));
        } catch (RuntimeException e) {
            // The client still gets its answer; a lost security event is logged rather than turned into a 500.
            log.error("Could not record security event {} for {} {}", action, request.getMethod(),
                    request.getRequestURI(), e);
        }
    }

    private static String action(ErrorCode code) {
        return switch (code) {
            case SIGNATURE_INVALID -> SIGNATURE_FAILURE;
            case CAPABILITY_DENIED, DELEGATION_INVALID -> SCOPE_VIOLATION;
            default -> null;
        };
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
