package org.loom.federation.outbound;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.loom.federation.node.FederatedNode;
import org.loom.federation.node.NodeRegistry;
import org.loom.federation.web.Callers;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.loom.service.outbox.KeyedItemIds;
import org.loom.service.outbox.OutboxItem;
import org.loom.service.outbox.OutboxStatus;
import org.loom.service.web.ForwardedIdempotencyKey;
import org.loom.service.web.JsonNumbers;
import org.loom.service.web.JsonResponses;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The federation outbox routes. The gateway authenticated the caller ({@code X-LOOM-Actor}). A caller queues only
 * envelopes the envelope-service lets it read, and lists only the items it queued (an automatic item counts as queued
 * by every sender whose envelopes were gathered into it). Requeueing a dead letter is for the node's administrator ({@code X-LOOM-Admin}). A queue
 * request with an {@code Idempotency-Key} sent again (same caller, key and body) finds the item it queued.
 */
@RestController
class OutboxController {

    private static final int LIST_SCAN = 1000;

    private final FederationOutbox outbox;
    private final NodeRegistry registry;
    private final StoredEnvelopes stored;
    private final TransactionTemplate transactions;

    OutboxController(FederationOutbox outbox, NodeRegistry registry, StoredEnvelopes stored,
            TransactionTemplate transactions) {
        this.outbox = outbox;
        this.registry = registry;
        this.stored = stored;
        this.transactions = transactions;
    }

    @PostMapping("/v1/federation/outbox")
    ResponseEntity<byte[]> queue(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        String actor = Callers.require(request);
        JsonNode json = LoomJson.parse(body);
        String recipient = json.path("recipient_node").asString("").strip();
        FederatedNode node = registry.find(recipient).orElseThrow(() -> LoomException.invalid(
                "Unknown recipient node", LoomException.details("field", "recipient_node")));
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode id : json.path("envelope_ids")) {
            if (id.isString() && !id.stringValue().isBlank()) {
                ids.add(id.stringValue().strip());
            }
        }
        if (ids.isEmpty()) {
            throw LoomException.invalid("envelope_ids must be a non-empty array",
                    LoomException.details("field", "envelope_ids"));
        }
        List<JsonNode> envelopes = new ArrayList<>();
        ids.forEach(id -> envelopes.add(stored.read(id, actor)));
        Integer maxAttempts = json.path("max_attempts").isNumber()
                ? (int) JsonNumbers.clamp(json.get("max_attempts"), 1, 20) : null;
        Instant expiresAt = null;
        if (json.hasNonNull("expires_at")) {
            expiresAt = Timestamps.parse(json.path("expires_at").asString("")).orElseThrow(() ->
                    LoomException.invalid("expires_at must be an RFC 3339 timestamp",
                            LoomException.details("field", "expires_at")));
        }
        Instant expiry = expiresAt;
        Optional<String> keyedId = ForwardedIdempotencyKey.of(request).map(key -> KeyedItemIds.forEnvelope(
                IdPrefix.FEDERATION_OUTBOX, envelopes.get(0), actor, key, LoomJson.write(json)));
        if (keyedId.isPresent()) {
            Optional<OutboxItem> queued = outbox.outbox().find(keyedId.get());
            if (queued.isPresent()) {
                return JsonResponses.created(queued.get().view());
            }
        }
        String id = keyedId.orElseGet(() -> LoomIds.next(IdPrefix.FEDERATION_OUTBOX));
        OutboxItem item;
        try {
            item = transactions.execute(status -> outbox.queue(id, node, envelopes, actor, maxAttempts, expiry));
        } catch (DataIntegrityViolationException e) {
            // Two copies of one keyed request raced: the other one queued the item.
            item = keyedId.flatMap(outbox.outbox()::find).orElseThrow(() -> e);
        }
        return JsonResponses.created(item.view());
    }

    @GetMapping("/v1/federation/outbox")
    ResponseEntity<byte[]> list(HttpServletRequest request, @RequestParam(required = false) String status,
            @RequestParam(name = "recipient_node", required = false) String recipientNode,
            @RequestParam(required = false) String limit) {
        String actor = Callers.require(request);
        OutboxStatus wanted = status == null || status.isBlank() ? null : OutboxStatus.fromWireName(status.strip())
                .orElseThrow(() -> LoomException.invalid("status must be queued, delivered or failed",
                        LoomException.details("field", "status")));
        int max = parseLimit(limit, 50, 200);
        ObjectNode response = LoomJson.mapper().createObjectNode();
        ArrayNode items = response.putArray("outbox");
        outbox.outbox().list(wanted, item -> visibleTo(item, actor), LIST_SCAN).stream()
                .filter(item -> recipientNode == null || recipientNode.equals(item.field("recipient_node")))
                .limit(max)
                .forEach(item -> items.add(item.view()));
        return JsonResponses.ok(response);
    }

    @PostMapping("/v1/federation/outbox/process")
    ResponseEntity<byte[]> processDue(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        Callers.require(request);
        JsonNode json = LoomJson.parse(body);
        int limit = json.path("limit").isNumber() ? (int) JsonNumbers.clamp(json.get("limit"), 1, 200) : 10;
        List<OutboxItem> processed = outbox.outbox().processDue(limit);
        ObjectNode response = LoomJson.mapper().createObjectNode();
        response.put("processed_count", processed.size());
        ArrayNode list = response.putArray("processed");
        processed.forEach(item -> list.add(summary(item)));
        return JsonResponses.ok(response);
    }

    @PostMapping("/v1/federation/outbox/{outboxId}/process")
    ResponseEntity<byte[]> processOne(HttpServletRequest request, @PathVariable String outboxId) {
        String actor = Callers.require(request);
        OutboxItem current = outbox.outbox().find(outboxId)
                .filter(item -> visibleTo(item, actor))
                .orElseThrow(() -> new LoomException(org.loom.protocol.error.ErrorCode.ENVELOPE_NOT_FOUND,
                        "Outbox item not found: " + outboxId, LoomException.details("outbox_id", outboxId)));
        return JsonResponses.ok(outbox.outbox().process(current.id()).view());
    }

    /** Gives a dead letter a fresh set of attempts; for the node's administrator. */
    @PostMapping("/v1/federation/outbox/{outboxId}/requeue")
    ResponseEntity<byte[]> requeue(HttpServletRequest request, @PathVariable String outboxId) {
        Callers.requireAdmin(request);
        return JsonResponses.ok(outbox.outbox().requeue(outboxId, Callers.ADMIN_ACTOR).view());
    }

    /** The caller queued the item, or sent one of the envelopes gathered into it. */
    private static boolean visibleTo(OutboxItem item, String actor) {
        return actor.equals(item.field("queued_by"))
                || item.fields().path("senders").valueStream().anyMatch(sender -> actor.equals(sender.asString("")));
    }

    private static ObjectNode summary(OutboxItem item) {
        ObjectNode summary = LoomJson.mapper().createObjectNode();
        summary.put("outbox_id", item.id());
        summary.put("status", item.status().wireName());
        summary.put("attempts", item.attempts());
        summary.put("last_error", item.lastError());
        boolean verified = item.result() != null && item.result().path("receipt_verified").asBoolean(false);
        summary.put("receipt_verified", verified);
        summary.put("receipt_verification_error", item.result() == null ? null
                : item.result().path("receipt_verification_error").asString(null));
        return summary;
    }

    private static int parseLimit(String text, int fallback, int max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Math.max(1, Math.min(Integer.parseInt(text.strip()), max));
        } catch (NumberFormatException e) {
            throw LoomException.invalid("limit must be a number", LoomException.details("field", "limit"));
        }
    }
}
