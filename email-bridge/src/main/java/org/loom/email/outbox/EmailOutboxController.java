package org.loom.email.outbox;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.loom.email.web.Callers;
import org.loom.email.web.QueryLimits;
import org.loom.protocol.json.LoomJson;
import org.loom.service.outbox.OutboxItem;
import org.loom.service.outbox.OutboxStatus;
import org.loom.service.web.ForwardedIdempotencyKey;
import org.loom.service.web.JsonNumbers;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The email outbox routes: queue, list, process (all due, or one), requeue, and send (queue plus one attempt). */
@RestController
class EmailOutboxController {

    private static final int DEFAULT_LIMIT = 50;
    private static final int DEFAULT_PROCESS_LIMIT = 10;

    private final EmailOutboxService outbox;

    EmailOutboxController(EmailOutboxService outbox) {
        this.outbox = outbox;
    }

    @PostMapping("/v1/email/outbox")
    ResponseEntity<ObjectNode> queue(@RequestHeader(name = Callers.ACTOR_HEADER, required = false) String actor,
            HttpServletRequest request, @RequestBody(required = false) JsonNode body) {
        OutboxItem item = outbox.queue(orEmpty(body), Callers.require(actor), ForwardedIdempotencyKey.of(request));
        return ResponseEntity.status(HttpStatus.CREATED).body(item.view());
    }

    @GetMapping("/v1/email/outbox")
    ObjectNode list(@RequestHeader(name = Callers.ACTOR_HEADER, required = false) String actor,
            @RequestHeader(name = Callers.ADMIN_HEADER, required = false) String admin,
            @RequestParam(required = false) String status,
            @RequestParam(name = "thread_id", required = false) String threadId,
            @RequestParam(required = false) String limit) {
        List<OutboxItem> items = outbox.list(status, threadId, QueryLimits.parse(limit, DEFAULT_LIMIT),
                Callers.require(actor), Callers.admin(admin));
        ObjectNode json = LoomJson.mapper().createObjectNode();
        ArrayNode list = json.putArray("outbox");
        items.forEach(item -> list.add(item.view()));
        return json;
    }

    @PostMapping("/v1/email/outbox/process")
    ObjectNode processDue(@RequestHeader(name = Callers.ACTOR_HEADER, required = false) String actor,
            @RequestBody(required = false) JsonNode body) {
        Callers.require(actor);
        JsonNode limit = orEmpty(body).get("limit");
        List<OutboxItem> processed = outbox.processDue(
                limit != null && limit.isNumber()
                        ? (int) JsonNumbers.clamp(limit, Integer.MIN_VALUE, Integer.MAX_VALUE) : DEFAULT_PROCESS_LIMIT);
        ObjectNode json = LoomJson.mapper().createObjectNode();
        json.put("processed_count", processed.size());
        ArrayNode list = json.putArray("processed");
        for (OutboxItem item : processed) {
            ObjectNode entry = list.addObject();
            entry.put("outbox_id", item.id());
            entry.put("status", item.status().wireName());
            entry.put("attempts", item.attempts());
            entry.put("provider_message_id", item.result() == null ? null
                    : item.result().path("provider_message_id").asString(null));
            entry.put("last_error", item.lastError());
        }
        return json;
    }

    @PostMapping("/v1/email/outbox/{id}/process")
    ObjectNode processOne(@RequestHeader(name = Callers.ACTOR_HEADER, required = false) String actor,
            @RequestHeader(name = Callers.ADMIN_HEADER, required = false) String admin, @PathVariable String id) {
        return outbox.process(id, Callers.require(actor), Callers.admin(admin)).view();
    }

    @PostMapping("/v1/email/outbox/{id}/requeue")
    ObjectNode requeue(@RequestHeader(name = Callers.ACTOR_HEADER, required = false) String actor,
            @RequestHeader(name = Callers.ADMIN_HEADER, required = false) String admin, @PathVariable String id) {
        return outbox.requeue(id, Callers.require(actor), Callers.admin(admin)).view();
    }

    /** Queue, then one attempt at once: 200 when the relay took the email, else 202 with the item as it stands. */
    @PostMapping("/v1/bridge/email/send")
    ResponseEntity<ObjectNode> send(@RequestHeader(name = Callers.ACTOR_HEADER, required = false) String actor,
            HttpServletRequest request, @RequestBody(required = false) JsonNode body) {
        String caller = Callers.require(actor);
        OutboxItem queued = outbox.queue(orEmpty(body), caller, ForwardedIdempotencyKey.of(request));
        OutboxItem attempted = outbox.process(queued.id(), caller, false);
        HttpStatus status = attempted.status() == OutboxStatus.DELIVERED ? HttpStatus.OK : HttpStatus.ACCEPTED;
        return ResponseEntity.status(status).body(attempted.view());
    }

    private static JsonNode orEmpty(JsonNode body) {
        return body == null || body.isNull() ? LoomJson.mapper().createObjectNode() : body;
    }
}
