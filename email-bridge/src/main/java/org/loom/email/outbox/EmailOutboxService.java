package org.loom.email.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.loom.email.bridge.JsonFields;
import org.loom.email.config.EmailSettings;
import org.loom.email.envelope.EnvelopeServiceClient;
import org.loom.email.parse.AddressList;
import org.loom.email.parse.EmailAddress;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.loom.service.audit.AuditTrail;
import org.loom.service.outbox.KeyedItemIds;
import org.loom.service.outbox.NewOutboxItem;
import org.loom.service.outbox.Outbox;
import org.loom.service.outbox.OutboxItem;
import org.loom.service.outbox.OutboxStatus;
import org.loom.service.web.JsonNumbers;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The email outbox as its routes use it: queuing (with the caller's access to the envelope checked), listings limited
 * to the caller's own items (an administrator sees all), processing and requeuing.
 */
@Service
public class EmailOutboxService {

    private static final int MAX_ATTEMPTS_LIMIT = 20;

    private final Outbox outbox;
    private final EnvelopeServiceClient envelopes;
    private final AuditTrail audit;
    private final TransactionTemplate transactions;
    private final EmailSettings settings;
    private final Clock clock;

    public EmailOutboxService(Outbox emailOutbox, EnvelopeServiceClient envelopes, AuditTrail audit,
            TransactionTemplate transactions, EmailSettings settings, Clock clock) {
        this.outbox = emailOutbox;
        this.envelopes = envelopes;
        this.audit = audit;
        this.transactions = transactions;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Queues an email of an envelope: {@code {envelope_id, to_email?, smtp_from?, subject?, max_attempts?,
     * expires_at?}}.
     *
     * @throws LoomException 404 for an envelope the caller cannot see, 403 when the caller is neither its sender nor
     *         an active participant, 400 for bad fields
     */
    public OutboxItem queue(JsonNode body, String actor) {
        return queue(body, actor, Optional.empty());
    }

    /**
     * {@link #queue(JsonNode, String)} for a request that carried an idempotency key: the item's id follows from the
     * caller, the key and the request, so the same request sent again (the gateway forwards a retry whose first answer
     * was lost) finds the item it queued the first time instead of queuing the email twice.
     */
    public OutboxItem queue(JsonNode body, String actor, Optional<String> idempotencyKey) {
        String envelopeId = text(body, "envelope_id");
        if (envelopeId == null || envelopeId.isBlank()) {
            throw LoomException.invalid("envelope_id is required", LoomException.details("field", "envelope_id"));
        }
        JsonNode envelope = envelopes.envelope(envelopeId, actor);
        String threadId = envelope.path("thread_id").asString();
        envelopes.requireSenderOrParticipant(envelope, envelopes.thread(threadId, actor), actor);

        ArrayNode toEmail = toEmail(body);
        Integer maxAttempts = maxAttempts(body.get("max_attempts"));
        Instant expiresAt = expiresAt(body.get("expires_at"));

        ObjectNode fields = LoomJson.mapper().createObjectNode();
        fields.put("envelope_id", envelopeId);
        fields.put("thread_id", threadId);
        fields.put("smtp_from", text(body, "smtp_from"));
        fields.set("to_email", toEmail);
        fields.put("subject", text(body, "subject"));
        fields.put("queued_by", actor);
        String id = idempotencyKey.map(key -> keyedId(envelope, actor, key, body))
                .orElseGet(() -> LoomIds.next(IdPrefix.EMAIL_OUTBOX));
        if (idempotencyKey.isPresent()) {
            Optional<OutboxItem> queued = outbox.find(id);
            if (queued.isPresent()) {
                return queued.get();
            }
        }
        String destination = toEmail != null ? joined(toEmail) : "recipients of " + envelopeId;
        try {
            return insert(id, destination, fields, maxAttempts, expiresAt, envelopeId, threadId, actor);
        } catch (DataIntegrityViolationException e) {
            // Two copies of one keyed request raced: the other one queued the item.
            if (idempotencyKey.isPresent()) {
                return outbox.find(id).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private OutboxItem insert(String id, String destination, ObjectNode fields, Integer maxAttempts,
            Instant expiresAt, String envelopeId, String threadId, String actor) {
        return transactions.execute(status -> {
            OutboxItem item = outbox.enqueue(new NewOutboxItem(id, destination, fields, maxAttempts, expiresAt));
            ObjectNode payload = AuditTrail.payload();
            payload.put("outbox_id", id);
            payload.put("envelope_id", envelopeId);
            payload.put("thread_id", threadId);
            payload.put("actor", actor);
            audit.record("email.outbox.queue", payload);
            return item;
        });
    }

    /**
     * The id of the item a keyed request queues: the envelope's receipt time (so items still sort roughly by age) and
     * a digest of caller, key and request body.
     */
    static String keyedId(JsonNode envelope, String actor, String key, JsonNode body) {
        return KeyedItemIds.forEnvelope(IdPrefix.EMAIL_OUTBOX, envelope, actor, key, LoomJson.write(body));
    }

    /** Items the caller may see: its own, or every item for an administrator; newest limits apply after filtering. */
    public List<OutboxItem> list(String status, String threadId, int limit, String actor, boolean admin) {
        OutboxStatus wanted = status == null || status.isBlank() ? null : OutboxStatus.fromWireName(status)
                .orElseThrow(() -> LoomException.invalid("Unknown outbox status: " + status,
                        LoomException.details("field", "status")));
        int bounded = Math.max(1, Math.min(limit, Outbox.MAX_BATCH));
        List<OutboxItem> items = threadId != null && !threadId.isBlank()
                ? outbox.list(wanted, "thread_id", threadId, admin ? bounded : Outbox.MAX_BATCH)
                : outbox.list(wanted, admin ? null : "queued_by", admin ? null : actor,
                        admin ? bounded : Outbox.MAX_BATCH);
        List<OutboxItem> visible = new ArrayList<>();
        for (OutboxItem item : items) {
            if ((admin || actor.equals(item.field("queued_by"))) && visible.size() < bounded) {
                visible.add(item);
            }
        }
        return visible;
    }

    /** Attempts one item now; callers reach only their own items. */
    public OutboxItem process(String id, String actor, boolean admin) {
        visible(id, actor, admin);
        return outbox.process(id);
    }

    /** Attempts up to {@code limit} due items now. */
    public List<OutboxItem> processDue(int limit) {
        return outbox.processDue(Math.max(1, Math.min(limit, Outbox.MAX_BATCH)));
    }

    /** Puts a dead letter back in the queue. */
    public OutboxItem requeue(String id, String actor, boolean admin) {
        visible(id, actor, admin);
        return outbox.requeue(id, actor);
    }

    private OutboxItem visible(String id, String actor, boolean admin) {
        return outbox.find(id)
                .filter(item -> admin || actor.equals(item.field("queued_by")))
                .orElseThrow(() -> new LoomException(ErrorCode.ENVELOPE_NOT_FOUND, "Email outbox item not found: " + id,
                        LoomException.details("outbox_id", id)));
    }

    private static ArrayNode toEmail(JsonNode body) {
        List<String> texts = JsonFields.texts(body, "to_email");
        if (texts == null) {
            return null;
        }
        ArrayNode out = LoomJson.mapper().createArrayNode();
        for (EmailAddress address : AddressList.parseAll(texts)) {
            if (!address.isLoomIdentity()) {
                out.add(address.address());
            }
        }
        if (out.isEmpty()) {
            throw LoomException.invalid("to_email names no email address", LoomException.details("field", "to_email"));
        }
        return out;
    }

    private static Integer maxAttempts(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw LoomException.invalid("max_attempts must be a number", LoomException.details("field", "max_attempts"));
        }
        return (int) JsonNumbers.clamp(value, 1, MAX_ATTEMPTS_LIMIT);
    }

    private Instant expiresAt(JsonNode value) {
        if (value == null || value.isNull()) {
            return clock.instant().plusMillis(settings.outboxTtlMs());
        }
        if (!value.isString()) {
            throw LoomException.invalid("expires_at must be an RFC 3339 timestamp",
                    LoomException.details("field", "expires_at"));
        }
        return Timestamps.parse(value.stringValue()).orElseThrow(() -> LoomException.invalid(
                "expires_at must be an RFC 3339 timestamp", LoomException.details("field", "expires_at")));
    }

    private static String joined(ArrayNode addresses) {
        List<String> list = new ArrayList<>();
        addresses.forEach(a -> list.add(a.asString()));
        return String.join(", ", list);
    }

    private static String text(JsonNode body, String field) {
        return JsonFields.text(body, field);
    }
}
