package org.loom.gateway.envelope;

import jakarta.servlet.ServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.loom.gateway.idempotency.IdempotencyClaims;
import org.loom.gateway.idempotency.IdempotencyStore;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.UlidGenerator;
import org.loom.protocol.kafka.AuthorityCommand;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.LoomMessage;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.protocol.kafka.Topic;
import org.loom.service.command.CommandClient;
import org.loom.service.command.CommandClient.PendingDecision;
import org.loom.service.web.ProtocolErrorResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Hands an admitted envelope to the envelope-service as a {@link SubmitEnvelopeCommand}, or a capability or delegation
 * write as an {@link AuthorityCommand}, and waits for the decision.
 *
 * <p>The command is keyed by the envelope's thread, so every write to one thread is decided in order, and names one of
 * this instance's reply partitions so the result comes back to the waiting request. It is sent with {@code acks=all}
 * and producer idempotence, and the wait covers both the broker's acknowledgement and the decision. A decision that
 * does not arrive in time is answered {@code DECISION_PENDING}; the command is still decided, and its result then
 * completes the request's idempotency record.
 */
@Component
public class EnvelopeSubmitter {

    /** The {@code loom-origin} header value of the records this service writes. */
    static final String ORIGIN = "api-gateway";

    private static final Logger log = LoggerFactory.getLogger(EnvelopeSubmitter.class);

    private final CommandClient commands;
    private final IdempotencyClaims claims;
    private final IdempotencyStore idempotency;
    private final EnvelopeSettings settings;
    private final Clock clock = Clock.systemUTC();
    private final UlidGenerator ids = UlidGenerator.systemDefault();

    public EnvelopeSubmitter(ReplyConsumer replies, IdempotencyClaims claims, IdempotencyStore idempotency,
            EnvelopeSettings settings) {
        this.commands = replies.client();
        this.claims = claims;
        this.idempotency = idempotency;
        this.settings = settings;
    }

    /**
     * Submits the envelope and returns the decision on it.
     *
     * @param route   the path the envelope arrived at, recorded in the command
     * @param request the HTTP request, whose idempotency claim learns the command's correlation id
     * @throws LoomException {@code DECISION_PENDING} when no decision arrived in time, or when this instance holds no
     *         reply partition yet; {@code INTERNAL_ERROR} when the broker refused the command
     */
    public CommandResult submit(AdmittedEnvelope admitted, String route, ServletRequest request) {
        return submit(admitted, route, request, null);
    }

    /**
     * {@link #submit(AdmittedEnvelope, String, ServletRequest)} for a request that presented a capability in the
     * {@code X-LOOM-Capability} header; the value travels with the command.
     *
     * @param capabilityHeader the header's value, or {@code null}
     */
    public CommandResult submit(AdmittedEnvelope admitted, String route, ServletRequest request,
            String capabilityHeader) {
        String correlationId = "cor_" + ids.next();
        SubmitEnvelopeCommand command = new SubmitEnvelopeCommand("msg_" + ids.next(), correlationId,
                admitted.actor().identity(), admitted.actorType(), admitted.actor().keyId(),
                admitted.envelope().json(), clock.instant(), route);
        Map<String, String> extra = capabilityHeader == null ? Map.of()
                : Map.of(LoomHeaders.CAPABILITY, capabilityHeader);
        return publishAndWait(command, correlationId, admitted.envelope().threadId(), extra, request);
    }

    /**
     * Hands a capability or delegation command to the envelope-service and returns its decision.
     *
     * @param key the record key: the thread the command scopes, else the actor
     */
    public CommandResult submit(String actor, String action, String subjectId, JsonNode body, String key,
            ServletRequest request) {
        String correlationId = "cor_" + ids.next();
        AuthorityCommand command = new AuthorityCommand("msg_" + ids.next(), correlationId, actor, action, subjectId,
                body, clock.instant());
        return publishAndWait(command, correlationId, key, Map.of(), request);
    }

    private CommandResult publishAndWait(LoomMessage command, String correlationId, String key,
            Map<String, String> extraHeaders, ServletRequest request) {
        int replyPartition = replyPartition();
        long deadline = System.nanoTime() + settings.decisionTimeout().toNanos();
        claims.awaitingCommand(request, correlationId);
        PendingDecision decision = commands.expect(correlationId);
        CompletableFuture<SendResult<String, String>> sent;
        try {
            sent = commands.send(command, correlationId, key, replyPartition, extraHeaders);
        } catch (RuntimeException e) {
            decision.abandon();
            throw notAccepted(e);
        }
        // If the broker gives up on the record after this request stopped waiting, no result will ever come: free the
        // idempotency key so a retry submits again.
        sent.whenComplete((result, failure) -> {
            if (failure != null) {
                idempotency.releaseByCorrelation(correlationId);
            }
        });
        try {
            sent.get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            decision.abandon();
            throw notAccepted(e.getCause());
        } catch (TimeoutException e) {
            decision.abandon();
            throw pending(correlationId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            decision.abandon();
            throw pending(correlationId);
        }
        return decision.await(Duration.ofNanos(remaining(deadline))).orElseThrow(() -> pending(correlationId));
    }

    private int replyPartition() {
        OptionalInt partition;
        try {
            partition = commands.replyPartition(settings.replyAssignmentWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            partition = OptionalInt.empty();
        }
        return partition.orElseThrow(() -> new LoomException(ErrorCode.DECISION_PENDING,
                "The node is not ready to take envelopes yet; retry later",
                LoomException.details(ProtocolErrorResponses.RETRY_AFTER_MS, settings.retryAfter().toMillis())));
    }

    private LoomException pending(String correlationId) {
        return new LoomException(ErrorCode.DECISION_PENDING,
                "The node accepted the envelope but has not confirmed its outcome yet; retry with the same "
                        + "Idempotency-Key",
                LoomException.details("correlation_id", correlationId,
                        ProtocolErrorResponses.RETRY_AFTER_MS, settings.retryAfter().toMillis()));
    }

    private static LoomException notAccepted(Throwable cause) {
        if (cause instanceof RecordTooLargeException) {
            // The body passed the HTTP limit but the command around it is larger than the broker takes: the
            // client's input is too big, not the node broken (a raised LOOM_MAX_BODY_BYTES can get here).
            return new LoomException(ErrorCode.PAYLOAD_TOO_LARGE, "Request is too large to hand to the node",
                    LoomException.details("max_record_bytes", Topic.MAX_RECORD_BYTES));
        }
        log.error("The envelope command could not be published", cause);
        return new LoomException(ErrorCode.INTERNAL_ERROR, "The envelope could not be handed to the node", Map.of(),
                cause);
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }
}
