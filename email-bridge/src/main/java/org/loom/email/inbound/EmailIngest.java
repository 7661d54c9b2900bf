package org.loom.email.inbound;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.loom.email.attachment.AttachmentBlobs;
import org.loom.email.bridge.BridgeSource;
import org.loom.email.bridge.BridgedEnvelope;
import org.loom.email.bridge.InboundEmail;
import org.loom.email.bridge.InboundEnvelopes;
import org.loom.email.bridge.IndexedMessage;
import org.loom.email.bridge.NodeSigner;
import org.loom.email.config.EmailSettings;
import org.loom.email.envelope.EnvelopeServiceClient;
import org.loom.email.index.JdbcMessageIndex;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.UlidGenerator;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.service.audit.AuditTrail;
import org.loom.service.command.CommandClient;
import org.loom.service.web.ProtocolErrorResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns an email into an envelope of the node: builds and signs it ({@link InboundEnvelopes}), submits it on the
 * envelope command path like any other write, and once the envelope-service has stored it, indexes its Message-ID
 * (so replies thread) and records the audit action.
 *
 * <p>The envelope-service decides a bridged envelope as it decides the gateway's commands: the actor must be an active
 * participant of an existing thread ({@code 403 CAPABILITY_DENIED} otherwise), and its refusals come back as the
 * protocol errors they are. The node key signed the envelope, so the command names that key.
 */
@Service
public class EmailIngest {

    /** The route mail from outside arrives by; also the route named in its commands. */
    public static final String INBOUND_ROUTE = "/v1/bridge/email/inbound";
    /** The route a local user submits mail by. */
    public static final String SUBMIT_ROUTE = "/v1/gateway/smtp/submit";

    private static final Logger LOG = LoggerFactory.getLogger(EmailIngest.class);

    private final UlidGenerator ids = UlidGenerator.systemDefault();

    private final InboundEnvelopes envelopes;
    private final CommandClient commands;
    private final JdbcMessageIndex index;
    private final NodeSigner signer;
    private final AuditTrail audit;
    private final TransactionTemplate transactions;
    private final EmailSettings settings;
    private final Clock clock;
    private final InboundSubmissions submissions;
    private final AttachmentBlobs blobs;
    private final EnvelopeServiceClient reader;

    EmailIngest(InboundEnvelopes envelopes, CommandClient commands, JdbcMessageIndex index, NodeSigner signer,
            AuditTrail audit, TransactionTemplate transactions, EmailSettings settings, Clock clock,
            InboundSubmissions submissions, AttachmentBlobs blobs, EnvelopeServiceClient reader) {
        this.submissions = submissions;
        this.blobs = blobs;
        this.reader = reader;
        this.envelopes = envelopes;
        this.commands = commands;
        this.index = index;
        this.signer = signer;
        this.audit = audit;
        this.transactions = transactions;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * What came of an accepted email: the answer of the inbound and submit routes.
     *
     * @param quarantined true when the node filed the envelope in quarantine (not merely because it was asked to)
     */
    public record Accepted(String envelopeId, String threadId, String messageId, boolean quarantined) {

        static Accepted of(BridgedEnvelope bridged, JsonNode stored) {
            return new Accepted(bridged.envelopeId(), bridged.threadId(), bridged.messageId(), EmailIngest.quarantined(stored));
        }
    }

    /**
     * Maps mail from outside to an envelope from {@code bridge://<sender>} and has it stored, its attachments first
     * as blobs.
     *
     * @param caller         the authenticated identity that handed the mail over (the MTA's service identity), for
     *                       the audit
     * @param idempotencyKey the caller's key for this request, if it sent one; see {@link #take}
     */
    public Accepted receive(InboundEmail email, String caller, Optional<String> idempotencyKey) {
        return take(email, Ingress.INBOUND, "bridge://" + email.senderEmail(), caller, idempotencyKey);
    }

    /**
     * Maps mail a local user submitted through the legacy gateway to an envelope from that user.
     *
     * @param idempotencyKey the caller's key for this request, if it sent one; see {@link #take}
     */
    public Accepted submitAs(InboundEmail email, String actor, Optional<String> idempotencyKey) {
        return take(email, Ingress.SUBMIT, actor, actor, idempotencyKey);
    }

    /** The two ways mail becomes an envelope of the node. */
    private enum Ingress {
        /** Mail from outside, from {@code bridge://<sender>}. */
        INBOUND(BridgeSource.EMAIL, INBOUND_ROUTE, "bridge", JdbcMessageIndex.Direction.INBOUND,
                "bridge.email.inbound"),
        /** Mail a local user wrote, from that user. */
        SUBMIT(BridgeSource.LEGACY_GATEWAY, SUBMIT_ROUTE, "human", JdbcMessageIndex.Direction.OUTBOUND,
                "gateway.smtp.submit");

        final BridgeSource source;
        final String route;
        final String actorType;
        final JdbcMessageIndex.Direction direction;
        final String auditAction;

        Ingress(BridgeSource source, String route, String actorType, JdbcMessageIndex.Direction direction,
                String auditAction) {
            this.source = source;
            this.route = route;
            this.actorType = actorType;
            this.direction = direction;
            this.auditAction = auditAction;
        }
    }

    /**
     * Builds the envelope, submits it and records it. The same email taken in again is answered with the envelope it
     * became the first time, so an MTA or client that retries after losing the answer makes no second envelope: "the
     * same" means the same Message-ID, sender and recipients, or, for an email without a Message-ID, the same caller,
     * route and {@code Idempotency-Key} with the same sender and recipients. An envelope the envelope-service holds by
     * now is answered as it is; one it does not hold yet is submitted again exactly as it was, and the
     * envelope-service, which never stores one envelope id twice, settles which submission counts.
     */
    private Accepted take(InboundEmail email, Ingress ingress, String sender, String caller,
            Optional<String> idempotencyKey) {
        String deliveryKey = InboundSubmissions.deliveryKey(sender, email);
        Optional<String> sameness = Optional.ofNullable(email.messageId())
                .or(() -> idempotencyKey.map(key -> InboundSubmissions.keyed(ingress.route, caller, key)));
        if (sameness.isPresent()) {
            Optional<InboundSubmissions.Submission> earlier = submissions.find(sameness.get(), deliveryKey);
            if (earlier.isPresent()) {
                return again(earlier.get(), ingress, sender, caller);
            }
        }
        BridgedEnvelope bridged = envelopes.build(withBlobs(email, ingress.source, sender), ingress.source,
                ingress == Ingress.SUBMIT ? sender : null);
        requireIndexable(bridged);
        ObjectNode envelope = bridged.envelope();
        if (ingress == Ingress.INBOUND && email.quarantine()) {
            // meta lies outside the signature: the node may note the MTA's verdict after signing.
            ((ObjectNode) envelope.path("meta").path("bridge")).put("quarantine", true);
        }
        if (sameness.isPresent() && !submissions.reserve(sameness.get(), deliveryKey, bridged.envelopeId(),
                bridged.threadId(), envelope)) {
            // Another request took this email in meanwhile; the blobs stored above stay unreferenced.
            return again(submissions.find(sameness.get(), deliveryKey).orElseThrow(), ingress, sender, caller);
        }
        JsonNode stored;
        try {
            stored = submit(envelope, bridged.threadId(), sender, ingress.actorType, ingress.route);
        } catch (LoomException e) {
            if (e.code() != ErrorCode.DECISION_PENDING) {
                submissions.forget(bridged.envelopeId());
            }
            throw e;
        }
        Accepted accepted = Accepted.of(bridged, stored);
        record(ingress, accepted, bridged.subject(), bridged.references(), sender, caller);
        return accepted;
    }

    /**
     * The email with its MIME attachments stored as blobs owned by the envelope's sender and listed among its
     * envelope attachments. What cannot become an envelope (recipients, limits) is refused before anything is stored.
     */
    private InboundEmail withBlobs(InboundEmail email, BridgeSource source, String sender) {
        if (email.mimeAttachments().isEmpty()) {
            return email;
        }
        envelopes.build(email.withStoredAttachments(email.attachments()), source, sender);
        blobs.checkLimits(email.mimeAttachments());
        ArrayNode attachments = ((ArrayNode) email.attachments()).deepCopy();
        attachments.addAll(blobs.store(email.mimeAttachments(), sender));
        return email.withStoredAttachments(attachments);
    }

    /** An email taken in before, answered with the envelope it became. */
    private Accepted again(InboundSubmissions.Submission earlier, Ingress ingress, String sender, String caller) {
        JsonNode bridge = earlier.envelope().path("meta").path("bridge");
        String messageId = bridge.path("original_message_id").asString(earlier.messageId());
        if (earlier.stored()) {
            return new Accepted(earlier.envelopeId(), earlier.threadId(), messageId, earlier.quarantined());
        }
        JsonNode stored = storedEnvelope(earlier.envelopeId(), sender).orElse(null);
        if (stored == null) {
            try {
                stored = submit(earlier.envelope(), earlier.threadId(), sender, ingress.actorType, ingress.route);
            } catch (LoomException e) {
                if (e.code() != ErrorCode.ENVELOPE_DUPLICATE) {
                    if (e.code() != ErrorCode.DECISION_PENDING) {
                        submissions.forget(earlier.envelopeId());
                    }
                    throw e;
                }
                // Stored between the look above and this submission.
                stored = reader.envelope(earlier.envelopeId(), sender);
            }
        }
        Accepted accepted = new Accepted(earlier.envelopeId(), earlier.threadId(), messageId, quarantined(stored));
        record(ingress, accepted, bridge.path("subject").isString() ? bridge.get("subject").stringValue() : null,
                List.of(), sender, caller);
        return accepted;
    }

    /** The envelope as the envelope-service stored it, read as its sender; empty while it is not stored. */
    private Optional<JsonNode> storedEnvelope(String envelopeId, String sender) {
        try {
            return Optional.of(reader.envelope(envelopeId, sender));
        } catch (LoomException e) {
            if (e.code() == ErrorCode.ENVELOPE_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Indexes, audits and marks as stored an accepted email, together. */
    private void record(Ingress ingress, Accepted accepted, String subject, List<String> references, String sender,
            String caller) {
        ObjectNode payload = AuditTrail.payload();
        payload.put("envelope_id", accepted.envelopeId());
        payload.put("thread_id", accepted.threadId());
        payload.put("message_id", accepted.messageId());
        payload.put("actor", caller);
        if (ingress == Ingress.INBOUND) {
            payload.put("sender", sender);
            payload.put("quarantined", accepted.quarantined());
        } else {
            // The envelope-service files every stored envelope under sys.sent for its sender.
            payload.put("labeled_sent", true);
        }
        transactions.executeWithoutResult(status -> {
            index(accepted.messageId(), accepted.envelopeId(), accepted.threadId(), subject, references,
                    ingress.direction);
            submissions.stored(accepted.envelopeId(), accepted.quarantined());
            audit.record(ingress.auditAction, payload);
        });
    }

    /** Whether the envelope-service quarantined the envelope it stored. */
    private static boolean quarantined(JsonNode stored) {
        return stored.path("meta").path("quarantined").asBoolean(false);
    }

    /**
     * Refuses, before the envelope is submitted, what the message index could not store after it: a NUL in the
     * subject, the Message-ID or a reference (PostgreSQL has no NUL in text; RFC 5322 allows none in a header).
     * Refused later, the envelope would already be stored while the client was told the email was refused.
     */
    private static void requireIndexable(BridgedEnvelope bridged) {
        requireNoNul("subject", bridged.subject());
        requireNoNul("message_id", bridged.messageId());
        for (String reference : bridged.references()) {
            requireNoNul("references", reference);
        }
    }

    private static void requireNoNul(String field, String text) {
        if (text != null && text.indexOf(0) >= 0) {
            throw LoomException.invalid(field + " must not contain a NUL character",
                    LoomException.details("field", field, "reason", "unsupported_character"));
        }
    }

    /** The email's own Message-ID and the one the node would give the envelope both lead to it. */
    private void index(String messageId, String envelopeId, String threadId, String subject, List<String> references,
            JdbcMessageIndex.Direction direction) {
        for (String id : List.of(messageId, signer.messageIdOf(envelopeId)).stream().distinct().toList()) {
            index.record(new IndexedMessage(id, envelopeId, threadId, subject, references), direction);
        }
    }

    private JsonNode submit(ObjectNode envelope, String threadId, String actor, String actorType, String route) {
        SubmitEnvelopeCommand command = new SubmitEnvelopeCommand("msg_" + ids.next(),
                "cor_" + ids.next(), actor, actorType, signer.keyId(), envelope, clock.instant(), route);
        CommandClient.Outcome outcome = commands.submit(command, threadId, settings.decisionTimeout());
        String envelopeId = envelope.path("id").asString();
        if (outcome.result().isEmpty()) {
            throw new LoomException(ErrorCode.DECISION_PENDING, outcome.sent()
                    ? "The email was handed to the node but its outcome is not confirmed yet"
                    : "The node could not take the email now; send it again",
                    LoomException.details("envelope_id", envelopeId, ProtocolErrorResponses.RETRY_AFTER_MS, 1000));
        }
        CommandResult result = outcome.result().get();
        if (!result.refused()) {
            return result.body();
        }
        JsonNode error = result.body().path("error");
        LOG.debug("Email envelope {} refused: {}", envelopeId, result.errorCode());
        throw new LoomException(result.errorCode(), error.path("message").asString(result.errorCode().name()),
                error.path("details").isObject()
                        ? LoomException.details("envelope_id", envelopeId, "refusal", error.path("details"))
                        : LoomException.details("envelope_id", envelopeId));
    }

    /**
     * A decision that arrived after its request stopped waiting: a stored envelope is indexed then, so replies to the
     * email still thread (the caller was told {@code DECISION_PENDING} and may send the mail again).
     */
    public void lateDecision(CommandResult late) {
        if (late.refused()) {
            LOG.info("Late refusal {} for {}", late.errorCode(), late.correlationId());
            return;
        }
        JsonNode stored = late.body();
        JsonNode bridge = stored.path("meta").path("bridge");
        String envelopeId = stored.path("id").asString("");
        String threadId = stored.path("thread_id").asString("");
        String messageId = bridge.path("original_message_id").asString("");
        if (envelopeId.isEmpty() || threadId.isEmpty() || messageId.isEmpty()) {
            return;
        }
        String subject = bridge.path("subject").isString() ? bridge.get("subject").stringValue() : null;
        JdbcMessageIndex.Direction direction = "email".equals(bridge.path("source").asString(""))
                ? JdbcMessageIndex.Direction.INBOUND : JdbcMessageIndex.Direction.OUTBOUND;
        boolean quarantined = quarantined(stored);
        transactions.executeWithoutResult(status -> {
            index(messageId, envelopeId, threadId, subject, List.of(), direction);
            submissions.stored(envelopeId, quarantined);
        });
        LOG.info("Indexed late-decided envelope {} under Message-ID {}", envelopeId, messageId);
    }
}
