package org.loom.delivery.webhook;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.loom.delivery.web.QueryLimits;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.service.audit.AuditTrail;
import org.loom.service.outbox.Outbox;
import org.loom.service.outbox.OutboxItem;
import org.loom.service.outbox.OutboxStatus;
import org.loom.service.web.ForwardedIdempotencyKey;
import org.loom.service.web.JsonResponses;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
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
 * The webhook admin routes. The gateway checks the admin token before forwarding here; this service is not reachable
 * from outside the node.
 */
@RestController
class WebhookController {

    private static final String ACTOR = "admin";

    private final WebhookStore webhooks;
    private final Outbox outbox;
    private final AuditTrail audit;
    private final TransactionTemplate transactions;
    private final Clock clock = Clock.systemUTC();

    WebhookController(WebhookStore webhooks, Outbox webhookOutbox, AuditTrail audit,
            TransactionTemplate transactions) {
        this.webhooks = webhooks;
        this.outbox = webhookOutbox;
        this.audit = audit;
        this.transactions = transactions;
    }

    /**
     * Registers a webhook. A request with an {@code Idempotency-Key} sent again with the same body (after its answer
     * was lost) is answered with the webhook the first one registered, so the receiver does not get every event twice.
     */
    @PostMapping("/v1/webhooks")
    ResponseEntity<byte[]> register(HttpServletRequest request, @RequestBody JsonNode body) {
        WebhookRegistration registration = WebhookRegistration.from(body);
        Optional<String> requestKey = ForwardedIdempotencyKey.of(request)
                .map(key -> Sha256.hex(key + "\n" + LoomJson.write(body)));
        Optional<Webhook> earlier = requestKey.flatMap(webhooks::findByRequestKey);
        if (earlier.isPresent()) {
            return JsonResponses.created(earlier.get().view());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Webhook webhook = new Webhook(LoomIds.next(IdPrefix.WEBHOOK), registration.url(), registration.events(),
                registration.active(), registration.maxAttempts(), registration.timeoutMs(), now, now, null, null);
        try {
            transactions.executeWithoutResult(status -> {
                webhooks.insert(webhook, requestKey.orElse(null));
                ObjectNode payload = AuditTrail.payload();
                payload.put("webhook_id", webhook.id());
                payload.put("url", webhook.url().toString());
                payload.put("actor", ACTOR);
                audit.record("webhook.register", payload);
            });
        } catch (DataIntegrityViolationException e) {
            // Two copies of one keyed request raced: the other one registered the webhook.
            return JsonResponses.created(requestKey.flatMap(webhooks::findByRequestKey).orElseThrow(() -> e).view());
        }
        return JsonResponses.created(webhook.view());
    }

    @GetMapping("/v1/webhooks")
    ResponseEntity<byte[]> list() {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        ArrayNode all = body.putArray("webhooks");
        webhooks.all().forEach(webhook -> all.add(webhook.view()));
        return JsonResponses.ok(body);
    }

    @DeleteMapping("/v1/webhooks/{id}")
    ResponseEntity<byte[]> delete(@PathVariable("id") String id) {
        transactions.executeWithoutResult(status -> {
            if (!webhooks.delete(id)) {
                throw new LoomException(ErrorCode.ENVELOPE_NOT_FOUND, "Webhook not found", Map.of("webhook_id", id));
            }
            ObjectNode payload = AuditTrail.payload();
            payload.put("webhook_id", id);
            payload.put("actor", ACTOR);
            audit.record("webhook.delete", payload);
        });
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("webhook_id", id);
        body.put("deleted", true);
        return JsonResponses.ok(body);
    }

    @GetMapping("/v1/webhooks/outbox")
    ResponseEntity<byte[]> outbox(@RequestParam(name = "status", required = false) String status,
            @RequestParam(name = "webhook_id", required = false) String webhookId,
            @RequestParam(name = "event_type", required = false) String eventType,
            @RequestParam(name = "limit", required = false) String limitParam) {
        int limit = QueryLimits.of(limitParam, 200, 1000);
        OutboxStatus wanted = status == null || status.isBlank() ? null
                : OutboxStatus.fromWireName(status.strip()).orElseThrow(() -> LoomException.invalid(
                        "status must be queued, delivered or failed", Map.of("field", "status")));
        Map<String, String> fields = new LinkedHashMap<>();
        if (blankToNull(webhookId) != null) {
            fields.put("webhook_id", webhookId.strip());
        }
        if (blankToNull(eventType) != null) {
            fields.put("event_type", eventType.strip());
        }
        ObjectNode body = LoomJson.mapper().createObjectNode();
        ArrayNode list = body.putArray("outbox");
        outbox.list(wanted, fields, limit).forEach(item -> list.add(item.view()));
        return JsonResponses.ok(body);
    }

    @PostMapping("/v1/webhooks/outbox/process")
    ResponseEntity<byte[]> process(@RequestBody JsonNode body) {
        JsonNode limitNode = body == null ? null : body.get("limit");
        // An object or array is "not a number" like any other text; Jackson refuses to turn one into a string.
        int limit = QueryLimits.of(limitNode == null || !limitNode.isValueNode() || limitNode.isNull() ? null
                : limitNode.asString(), 10,
                Outbox.MAX_BATCH);
        List<OutboxItem> processed = outbox.processDue(limit);
        ObjectNode response = LoomJson.mapper().createObjectNode();
        response.put("processed_count", processed.size());
        ArrayNode entries = response.putArray("processed");
        for (OutboxItem item : processed) {
            ObjectNode entry = entries.addObject();
            entry.put("outbox_id", item.id());
            entry.put("status", item.status().wireName());
            entry.put("attempts", item.attempts());
            entry.put("last_error", item.lastError());
            if (item.lastHttpStatus() == null) {
                entry.putNull("last_http_status");
            } else {
                entry.put("last_http_status", item.lastHttpStatus().intValue());
            }
        }
        return JsonResponses.ok(response);
    }

    @PostMapping("/v1/webhooks/outbox/{id}/process")
    ResponseEntity<byte[]> processOne(@PathVariable("id") String id) {
        return JsonResponses.ok(outbox.process(id).view());
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
