package org.loom.delivery.dlq;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.loom.delivery.web.QueryLimits;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.DeadLetter;
import org.loom.protocol.time.Timestamps;
import org.loom.service.outbox.Outbox;
import org.loom.service.outbox.OutboxItem;
import org.loom.service.web.JsonResponses;
import org.loom.service.web.RequestIds;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The dead-letter admin routes: failed items of every outbox kind, and requeue. Webhook dead letters are this
 * service's own; federation and email dead letters come from their dead-letter topics (see {@link DeadLetterView}) and
 * are requeued by the service that owns them ({@link OwnerRequeue}). The gateway lets only the administrator in.
 */
@RestController
class DeadLetterController {

    private static final List<String> KINDS =
            List.of(DeadLetter.KIND_EMAIL, DeadLetter.KIND_FEDERATION, DeadLetter.KIND_WEBHOOK);

    private final Outbox webhookOutbox;
    private final DeadLetterView view;
    private final OwnerRequeue owners;

    DeadLetterController(Outbox webhookOutbox, DeadLetterView view, OwnerRequeue owners) {
        this.webhookOutbox = webhookOutbox;
        this.view = view;
        this.owners = owners;
    }

    @GetMapping("/v1/outbox/dlq")
    ResponseEntity<byte[]> list(@RequestParam(name = "kind", required = false) String kindParam,
            @RequestParam(name = "limit", required = false) String limitParam) {
        String kind = kindParam == null ? "all" : kindParam.strip().toLowerCase(Locale.ROOT);
        List<String> kinds = KINDS.contains(kind) ? List.of(kind) : KINDS;
        int limit = QueryLimits.of(limitParam, 200, 1000);
        List<ObjectNode> entries = new ArrayList<>();
        for (String each : kinds) {
            if (each.equals(DeadLetter.KIND_WEBHOOK)) {
                for (OutboxItem item : webhookOutbox.deadLetters(limit)) {
                    entries.add(entry(each, item.id(), null, Timestamps.format(item.updatedAt()), item.view()));
                }
            } else {
                for (DeadLetterView.Entry letter : view.list(each, limit)) {
                    JsonNode threadId = letter.item().get("thread_id");
                    String updatedAt = letter.item().hasNonNull("updated_at")
                            ? letter.item().get("updated_at").asString() : Timestamps.format(letter.failedAt());
                    entries.add(entry(each, letter.itemId(), each.equals(DeadLetter.KIND_EMAIL) && threadId != null
                            && !threadId.isNull() ? threadId.asString() : null, updatedAt, letter.item()));
                }
            }
        }
        entries.sort(Comparator.comparing((ObjectNode e) -> e.get("updated_at").asString()).reversed()
                .thenComparing(e -> e.get("id").asString()));
        ObjectNode body = LoomJson.mapper().createObjectNode();
        ArrayNode list = body.putArray("entries");
        entries.stream().limit(limit).forEach(list::add);
        return JsonResponses.ok(body);
    }

    @PostMapping("/v1/outbox/dlq/requeue")
    ResponseEntity<byte[]> requeue(HttpServletRequest request, @RequestBody JsonNode body) {
        if (body == null || !body.isObject()) {
            throw LoomException.invalid("Request body must be a JSON object", Map.of());
        }
        String id = text(body.get("id"));
        if (id == null) {
            id = text(body.get("outbox_id"));
        }
        if (id == null) {
            throw LoomException.invalid("id is required", Map.of("field", "id"));
        }
        String kind = text(body.get("kind"));
        if (kind == null || !KINDS.contains(kind.toLowerCase(Locale.ROOT))) {
            throw LoomException.invalid("kind must be 'email', 'federation', or 'webhook'", Map.of("field", "kind"));
        }
        kind = kind.toLowerCase(Locale.ROOT);
        JsonNode item;
        if (kind.equals(DeadLetter.KIND_WEBHOOK)) {
            item = webhookOutbox.requeue(id, "admin").view();
        } else {
            // The owner is asked even when the mirror has not seen the dead letter yet: its word decides.
            item = owners.requeue(kind, id, RequestIds.of(request));
            view.forget(id, item.hasNonNull("updated_at")
                    ? Timestamps.parse(item.get("updated_at").asString()).orElseGet(Instant::now) : Instant.now());
        }
        ObjectNode response = LoomJson.mapper().createObjectNode();
        response.put("kind", kind);
        response.set("item", item);
        return JsonResponses.ok(response);
    }

    private static ObjectNode entry(String kind, String id, String threadId, String updatedAt, JsonNode item) {
        ObjectNode entry = LoomJson.mapper().createObjectNode();
        entry.put("kind", kind);
        entry.put("id", id);
        entry.put("thread_id", threadId);
        entry.put("updated_at", updatedAt);
        entry.set("item", item.deepCopy());
        return entry;
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isContainer()) {
            return null;
        }
        String text = node.asString().strip();
        return text.isEmpty() ? null : text;
    }
}
