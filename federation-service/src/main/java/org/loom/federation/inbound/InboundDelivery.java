package org.loom.federation.inbound;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.loom.federation.config.FederationSettings;
import org.loom.federation.config.LocalNode;
import org.loom.federation.config.NodeKey;
import org.loom.federation.identity.RemoteIdentities;
import org.loom.federation.identity.RemoteIdentity;
import org.loom.federation.node.FederatedNode;
import org.loom.protocol.address.LoomAddress;
import org.loom.protocol.envelope.Envelope;
import org.loom.protocol.envelope.EnvelopeValidator;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.federation.DeliveryReceipt;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.id.UlidGenerator;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.service.audit.AuditTrail;
import org.loom.service.command.CommandClient;
import org.loom.service.web.ProtocolErrorResponses;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/federation/deliver}: a registered node hands over envelopes for this node.
 *
 * <p>After the signed request is verified and the wrapper checked, each envelope is admitted like a local submission:
 * its signature is checked with the sender's key, fetched from the sender's home node, and its declared type with the
 * type that node reports; it is then submitted on the envelope command topic and its decision awaited. Envelopes are
 * decided one by one and the delivery is not atomic: the answer lists the accepted ones (an envelope already stored
 * counts as accepted, so a retried delivery is acknowledged) and the refused ones with their errors. When none is
 * accepted, the first refusal is the answer.
 */
@Service
public class InboundDelivery {

    static final String ROUTE = "/v1/federation/deliver";

    private final SignedRequestVerifier verifier;
    private final NodeReputation reputation;
    private final RemoteIdentities identities;
    private final CommandClient commands;
    private final FederationSettings settings;
    private final LocalNode local;
    private final NodeKey nodeKey;
    private final AuditTrail audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final UlidGenerator ids = UlidGenerator.systemDefault();

    InboundDelivery(SignedRequestVerifier verifier, NodeReputation reputation, RemoteIdentities identities,
            CommandClient commands, FederationSettings settings, LocalNode local, NodeKey nodeKey, AuditTrail audit,
            TransactionTemplate transactions, Clock clock) {
        this.verifier = verifier;
        this.reputation = reputation;
        this.identities = identities;
        this.commands = commands;
        this.settings = settings;
        this.local = local;
        this.nodeKey = nodeKey;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Handles a delivery and returns the 202 body. */
    public ObjectNode deliver(byte[] body, Function<String, String> header) {
        JsonNode wrapper = parse(body);
        FederatedNode node = null;
        try {
            node = verifier.verify("POST", ROUTE, body, header, true);
            ObjectNode response = accept(node, wrapper);
            JsonNode rejected = response.get("rejected");
            Optional<String> refusal = rejected.valueStream().map(entry -> entry.at("/error/code").asString("UNKNOWN"))
                    .filter(code -> !ErrorCode.DECISION_PENDING.name().equals(code)).findFirst();
            if (refusal.isPresent()) {
                // A partly refused delivery counts against the sender like a refused one.
                reputation.recordFailure(node.nodeId(), refusal.get());
            } else if (rejected.isEmpty()) {
                reputation.recordSuccess(node.nodeId());
            }
            return response;
        } catch (LoomException e) {
            recordFailure(node, header, e);
            throw e;
        }
    }

    /** Verifies a challenge request (the challenge check itself is skipped) and returns its node. */
    public FederatedNode verifyChallengeRequest(byte[] body, Function<String, String> header) {
        try {
            return verifier.verify("POST", SignedRequestVerifier.CHALLENGE_ENDPOINT, body, header, false);
        } catch (LoomException e) {
            recordFailure(null, header, e);
            throw e;
        }
    }

    private void recordFailure(FederatedNode verified, Function<String, String> header, LoomException error) {
        // A refusal caused by an automatic deny would otherwise keep extending itself.
        if (error.code() == ErrorCode.CAPABILITY_DENIED && Boolean.TRUE.equals(error.details().get("auto_policy"))) {
            return;
        }
        // This node not deciding in time is no fault of the sender, which is told to deliver again.
        if (error.code() == ErrorCode.DECISION_PENDING) {
            return;
        }
        String nodeId = verified != null ? verified.nodeId() : header.apply("x-loom-node");
        if (nodeId != null && !nodeId.isBlank()) {
            reputation.recordFailure(nodeId.strip(), error.code().name());
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return LoomJson.parse(body);
        } catch (LoomException e) {
            throw LoomException.invalid("Federation body must be valid JSON", e.details());
        }
    }

    private ObjectNode accept(FederatedNode node, JsonNode wrapper) {
        String senderNode = wrapper.isObject() && wrapper.path("sender_node").isString()
                ? wrapper.get("sender_node").stringValue() : null;
        if (!node.nodeId().equals(senderNode)) {
            throw LoomException.signatureInvalid("Federation sender node mismatch",
                    LoomException.details("header_node", node.nodeId(), "body_node", senderNode));
        }
        JsonNode envelopes = wrapper.get("envelopes");
        if (envelopes == null || !envelopes.isArray() || envelopes.isEmpty()) {
            throw LoomException.invalid("Federation delivery requires a non-empty envelopes array",
                    LoomException.details("field", "envelopes"));
        }
        if (envelopes.size() > settings.inboundMaxEnvelopes()) {
            throw new LoomException(ErrorCode.PAYLOAD_TOO_LARGE, "Federation delivery has too many envelopes",
                    LoomException.details("field", "envelopes", "max_envelopes", settings.inboundMaxEnvelopes()));
        }
        String deliveryId = wrapper.path("delivery_id").isString() && !wrapper.get("delivery_id").stringValue()
                .isBlank() ? wrapper.get("delivery_id").stringValue().strip() : LoomIds.next(IdPrefix.FEDERATION_DELIVERY);
        String policy = node.policy(clock.instant());
        boolean quarantined = FederatedNode.QUARANTINE.equals(policy);

        List<String> accepted = new ArrayList<>();
        ArrayNode rejected = LoomJson.mapper().createArrayNode();
        LoomException firstRefusal = null;
        for (JsonNode sent : envelopes) {
            try {
                accepted.add(admit(node, sent, deliveryId, quarantined));
            } catch (LoomException refusal) {
                if (firstRefusal == null) {
                    firstRefusal = refusal;
                }
                ObjectNode entry = rejected.addObject();
                entry.put("envelope_id", sent.isObject() && sent.path("id").isString()
                        ? sent.get("id").stringValue() : null);
                ObjectNode error = entry.putObject("error");
                error.put("code", refusal.code().name());
                error.put("message", refusal.getMessage());
            }
        }
        if (accepted.isEmpty()) {
            throw firstRefusal;
        }
        DeliveryReceipt receipt = DeliveryReceipt.accepted(deliveryId, local.nodeId(), node.nodeId(), accepted, clock)
                .sign(nodeKey.key(), nodeKey.keyId());
        transactions.executeWithoutResult(status -> audit.record("federation.deliver", AuditTrail.payload()
                .put("sender_node", node.nodeId()).put("delivery_id", deliveryId)
                .put("accepted_count", accepted.size()).put("rejected_count", rejected.size())
                .put("policy", policy)));
        ObjectNode response = LoomJson.mapper().createObjectNode();
        response.put("sender_node", node.nodeId());
        response.put("delivery_id", deliveryId);
        response.put("accepted_count", accepted.size());
        ArrayNode ids = response.putArray("accepted_envelope_ids");
        accepted.forEach(ids::add);
        response.set("rejected", rejected);
        response.set("receipt", receipt.toJson());
        return response;
    }

    /** Admits one envelope and returns its id once the node holds it. */
    private String admit(FederatedNode node, JsonNode sent, String deliveryId, boolean quarantined) {
        if (!sent.isObject()) {
            throw LoomException.invalid("Each delivered envelope must be a JSON object",
                    LoomException.details("field", "envelopes"));
        }
        Envelope envelope = EnvelopeValidator.parse(sent);
        String sender = envelope.from().identity().toString();
        LoomAddress address = envelope.from().identity();
        if (!local.domain().isEmpty() && address.sameDomain(local.domain())) {
            throw LoomException.capabilityDenied("A remote node cannot deliver envelopes from this node's identities",
                    LoomException.details("identity", sender));
        }
        RemoteIdentity identity = identities.resolve(sender, envelope.signatureKeyId());
        if (!EnvelopeSignatures.verify(envelope.json(), identity.key(envelope.signatureKeyId()).orElseThrow())) {
            throw LoomException.signatureInvalid("Envelope signature verification failed",
                    LoomException.details("field", "signature.value", "envelope_id", envelope.id()));
        }
        String declared = envelope.from().type().wireName();
        if (!identity.type().equals(declared)) {
            throw LoomException.capabilityDenied("Sender type does not match the registered identity type",
                    LoomException.details("expected", identity.type(), "actual", declared));
        }
        ObjectNode stored = envelope.json().deepCopy();
        ObjectNode meta = stored.get("meta") instanceof ObjectNode existing ? existing : stored.putObject("meta");
        ObjectNode federation = meta.putObject("federation");
        federation.put("source_node", node.nodeId());
        federation.put("delivery_id", deliveryId);
        if (quarantined) {
            federation.put("policy", FederatedNode.QUARANTINE);
        }
        SubmitEnvelopeCommand command = new SubmitEnvelopeCommand("msg_" + ids.next(), "cor_" + ids.next(), sender, identity.type(),
                envelope.signatureKeyId(), stored, clock.instant(), ROUTE);
        CommandClient.Outcome outcome = commands.submit(command, envelope.threadId(), settings.decisionTimeout());
        if (outcome.result().isEmpty()) {
            throw new LoomException(ErrorCode.DECISION_PENDING,
                    "The envelope was handed to the node but its outcome is not confirmed yet; deliver it again",
                    LoomException.details("envelope_id", envelope.id(), ProtocolErrorResponses.RETRY_AFTER_MS, 1000));
        }
        CommandResult result = outcome.result().get();
        if (!result.refused() || result.errorCode() == ErrorCode.ENVELOPE_DUPLICATE) {
            return envelope.id();
        }
        JsonNode error = result.body().path("error");
        throw new LoomException(result.errorCode(), error.path("message").asString(result.errorCode().name()),
                LoomException.details("envelope_id", envelope.id()));
    }
}
