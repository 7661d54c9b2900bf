package org.loom.email.web;

import org.loom.email.bridge.IndexedMessage;
import org.loom.email.bridge.JsonFields;
import org.loom.email.bridge.OutboundRenderer;
import org.loom.email.bridge.RenderedEmail;
import org.loom.email.envelope.EnvelopeServiceClient;
import org.loom.email.index.JdbcMessageIndex;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.service.audit.AuditTrail;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/bridge/email/outbound}: renders an envelope as the email the relay would send, without sending it.
 * The rendering's Message-ID is indexed, so replies to a message sent by other means still thread.
 */
@RestController
class OutboundRenderController {

    private final EnvelopeServiceClient envelopes;
    private final OutboundRenderer renderer;
    private final JdbcMessageIndex index;
    private final AuditTrail audit;
    private final TransactionTemplate transactions;

    OutboundRenderController(EnvelopeServiceClient envelopes, OutboundRenderer renderer, JdbcMessageIndex index,
            AuditTrail audit, TransactionTemplate transactions) {
        this.envelopes = envelopes;
        this.renderer = renderer;
        this.index = index;
        this.audit = audit;
        this.transactions = transactions;
    }

    @PostMapping("/v1/bridge/email/outbound")
    ObjectNode render(@RequestHeader(name = Callers.ACTOR_HEADER, required = false) String actorHeader,
            @RequestBody(required = false) JsonNode requestBody) {
        String actor = Callers.require(actorHeader);
        JsonNode body = requestBody == null ? LoomJson.mapper().createObjectNode() : requestBody;
        String envelopeId = JsonFields.text(body, "envelope_id");
        if (envelopeId == null || envelopeId.isBlank()) {
            throw LoomException.invalid("envelope_id is required", LoomException.details("field", "envelope_id"));
        }
        JsonNode envelope = envelopes.envelope(envelopeId, actor);
        JsonNode thread = envelopes.thread(envelope.path("thread_id").asString(), actor);
        envelopes.requireSenderOrParticipant(envelope, thread, actor);
        boolean sender = actor.equals(envelope.path("from").path("identity").asString());
        RenderedEmail email = renderer.render(envelope, new OutboundRenderer.Options(JsonFields.texts(body, "to_email"),
                JsonFields.text(body, "subject"), JsonFields.text(body, "smtp_from"),
                thread.path("subject").isString() ? thread.get("subject").stringValue() : null, sender));
        transactions.executeWithoutResult(status -> {
            index.record(new IndexedMessage(email.messageId(), envelopeId, envelope.path("thread_id").asString(),
                    email.subject(), OutboundRenderer.chainOf(email)), JdbcMessageIndex.Direction.OUTBOUND);
            ObjectNode payload = AuditTrail.payload();
            payload.put("envelope_id", envelopeId);
            payload.put("thread_id", envelope.path("thread_id").asString());
            payload.put("actor", actor);
            audit.record("bridge.email.outbound.render", payload);
        });
        return email.toJson();
    }

}
