package org.loom.email.outbox;

import java.time.Duration;
import java.util.List;
import org.loom.email.attachment.AttachmentBlobs;
import org.loom.email.bridge.IndexedMessage;
import org.loom.email.bridge.OutboundRenderer;
import org.loom.email.bridge.RenderedEmail;
import org.loom.email.envelope.EnvelopeServiceClient;
import org.loom.email.index.JdbcMessageIndex;
import org.loom.email.parse.MessageIds;
import org.loom.email.parse.MimeAttachment;
import org.loom.email.relay.EmailRelay;
import org.loom.email.relay.RelayResult;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.service.audit.AuditTrail;
import org.loom.service.outbox.AttemptOutcome;
import org.loom.service.outbox.OutboxHandler;
import org.loom.service.outbox.OutboxItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One attempt at an email outbox item: read the envelope and the blobs it attaches as the identity that queued it (so
 * its access is checked again at every attempt), render it with the blobs as MIME parts, hand it to the relay, and
 * file the thread under the sender's {@code sys.sent}.
 *
 * <p>A relay failure (server down, refused) is retried; a refusal that another attempt cannot change (the envelope is
 * gone, the identity lost access, no recipients or sender) makes the item a dead letter at once.
 */
public class EmailOutboxHandler implements OutboxHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EmailOutboxHandler.class);
    private static final String SENT_LABEL = "sys.sent";
    /** Time kept back from the attempt's timeout for the outcome to reach the outbox after labelling. */
    private static final Duration LABEL_MARGIN = Duration.ofMillis(500);
    /** Less than this left after sending, and the label is not tried at all. */
    private static final Duration MIN_LABEL_BUDGET = Duration.ofMillis(200);

    private final EnvelopeServiceClient envelopes;
    private final OutboundRenderer renderer;
    private final EmailRelay relay;
    private final JdbcMessageIndex index;
    private final AuditTrail audit;
    private final AttachmentBlobs blobs;

    public EmailOutboxHandler(EnvelopeServiceClient envelopes, OutboundRenderer renderer, EmailRelay relay,
            JdbcMessageIndex index, AuditTrail audit, AttachmentBlobs blobs) {
        this.blobs = blobs;
        this.envelopes = envelopes;
        this.renderer = renderer;
        this.relay = relay;
        this.index = index;
        this.audit = audit;
    }

    @Override
    public AttemptOutcome attempt(OutboxItem item, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Prepared prepared;
        try {
            prepared = prepare(item);
        } catch (LoomException e) {
            return e.httpStatus() < 500
                    ? AttemptOutcome.permanent(e.getMessage())
                    : AttemptOutcome.retry(e.getMessage());
        }
        RelayResult sent;
        try {
            sent = relay.send(prepared.email(), prepared.files());
        } catch (LoomException e) {
            return e.httpStatus() < 500
                    ? AttemptOutcome.permanent(e.getMessage())
                    : AttemptOutcome.retry(e.getMessage());
        }
        ObjectNode result = result(prepared.email(), sent);
        result.put("labeled_sent", labelSent(item.field("thread_id"), prepared.sender(),
                Duration.ofNanos(deadline - System.nanoTime()).minus(LABEL_MARGIN)));
        return new AttemptOutcome.Delivered(null, result);
    }

    /**
     * The email is out: the envelope's sender finds its thread under {@code sys.sent} (spec §20.1). The label is the
     * sender's own, set as the sender, and a failure to set it never turns a delivered email into a retry (which
     * would send it twice).
     */
    private boolean labelSent(String threadId, String sender, Duration budget) {
        // The mail is out: past the attempt's timeout the outbox would count the attempt as failed and send the mail
        // again, so labelling gets only what is left of the attempt's time, short of a margin.
        if (budget.compareTo(MIN_LABEL_BUDGET) < 0) {
            LOG.warn("Email for thread {} was delivered too close to the attempt timeout to set {} for {}", threadId,
                    SENT_LABEL, sender);
            return false;
        }
        try {
            envelopes.addLabels(threadId, sender, List.of(SENT_LABEL), budget);
            return true;
        } catch (LoomException e) {
            LOG.warn("Email for thread {} was delivered but {} could not be set for {}: {}", threadId, SENT_LABEL,
                    sender, e.getMessage());
            return false;
        }
    }

    /** What one attempt sends: the rendered email, the files it attaches, and who sent the envelope. */
    private record Prepared(RenderedEmail email, List<MimeAttachment> files, String sender) {
    }

    private Prepared prepare(OutboxItem item) {
        String actor = item.field("queued_by");
        JsonNode envelope = envelopes.envelope(item.field("envelope_id"), actor);
        RenderedEmail email = render(item, envelope);
        return new Prepared(email, blobs.fetch(email.attachments(), actor),
                envelope.path("from").path("identity").asString());
    }

    /** The email an item stands for, as its queuing identity may have it sent. */
    private RenderedEmail render(OutboxItem item, JsonNode envelope) {
        String actor = item.field("queued_by");
        JsonNode thread = envelopes.thread(envelope.path("thread_id").asString(), actor);
        envelopes.requireSenderOrParticipant(envelope, thread, actor);
        List<String> toEmail = item.fields().path("to_email").isArray()
                ? LoomJson.mapper().convertValue(item.fields().get("to_email"),
                        LoomJson.mapper().getTypeFactory().constructCollectionType(List.class, String.class))
                : null;
        boolean sender = actor.equals(envelope.path("from").path("identity").asString());
        return renderer.render(envelope, new OutboundRenderer.Options(toEmail, item.field("subject"),
                item.field("smtp_from"), thread.path("subject").isString() ? thread.get("subject").stringValue() : null,
                sender));
    }

    private static ObjectNode result(RenderedEmail email, RelayResult sent) {
        ObjectNode result = LoomJson.mapper().createObjectNode();
        result.put("provider_message_id", sent.providerMessageId());
        result.put("relay_mode", sent.relayMode());
        ArrayNode accepted = result.putArray("accepted");
        sent.accepted().forEach(accepted::add);
        ArrayNode rejected = result.putArray("rejected");
        sent.rejected().forEach(rejected::add);
        result.put("last_provider_response", sent.response());
        result.put("subject", email.subject());
        result.put("references", String.join(" ",
                OutboundRenderer.chainOf(email).stream().map(MessageIds::bracket).toList()));
        return result;
    }

    @Override
    public void recorded(OutboxItem item, AttemptOutcome outcome) {
        ObjectNode payload = AuditTrail.payload();
        payload.put("outbox_id", item.id());
        payload.put("envelope_id", item.field("envelope_id"));
        payload.put("thread_id", item.field("thread_id"));
        payload.put("actor", item.field("queued_by"));
        if (outcome instanceof AttemptOutcome.Delivered delivered && delivered.result() != null) {
            ObjectNode result = delivered.result();
            String messageId = result.path("provider_message_id").asString();
            // Replies to this email name its Message-ID; the index leads them back to the envelope.
            index.record(new IndexedMessage(messageId, item.field("envelope_id"), item.field("thread_id"),
                    result.path("subject").asString(null), MessageIds.parse(result.path("references").asString(""))),
                    JdbcMessageIndex.Direction.OUTBOUND);
            payload.put("provider_message_id", messageId);
            payload.put("labeled_sent", result.path("labeled_sent").asBoolean(false));
            audit.record("email.outbox.process.delivered", payload);
        } else {
            payload.put("status", item.status().wireName());
            payload.put("last_error", item.lastError());
            audit.record("email.outbox.process.failed", payload);
        }
    }

    @Override
    public void requeued(OutboxItem item, String actor) {
        ObjectNode payload = AuditTrail.payload();
        payload.put("outbox_id", item.id());
        payload.put("envelope_id", item.field("envelope_id"));
        payload.put("actor", actor);
        audit.record("email.outbox.requeue", payload);
    }
}
