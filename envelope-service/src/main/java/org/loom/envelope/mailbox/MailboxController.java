package org.loom.envelope.mailbox;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.loom.envelope.audience.EnvelopeReaders;
import org.loom.envelope.read.Actors;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The caller's own mailbox labels on a thread it can see: read them, change them, archive, trash.
 *
 * <p>Answers are {@code {thread_id, labels: [...]}} with the caller's labels sorted. A thread the caller cannot see
 * is a 404, as on every read route.
 */
@RestController
class MailboxController {

    /** The {@code sys.*} labels a client may set; any other {@code sys.} label is reserved. */
    static final Set<String> SYSTEM_LABELS = Set.of(MailboxLabels.INBOX, MailboxLabels.SENT, MailboxLabels.ARCHIVE,
            MailboxLabels.SPAM, MailboxLabels.TRASH, MailboxLabels.DRAFTS, MailboxLabels.QUARANTINE);
    static final int MAX_LABEL_LENGTH = 200;

    private final MailboxLabels labels;
    private final EnvelopeReaders readers;

    MailboxController(MailboxLabels labels, EnvelopeReaders readers) {
        this.labels = labels;
        this.readers = readers;
    }

    @GetMapping("/v1/mailbox/threads/{threadId}")
    ResponseEntity<byte[]> get(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @PathVariable String threadId) {
        String actor = visible(actorHeader, threadId);
        return answer(actor, threadId);
    }

    /** {@code {add: [...], remove: [...]}}: removals first, then additions. */
    @PostMapping("/v1/mailbox/threads/{threadId}")
    ResponseEntity<byte[]> change(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @PathVariable String threadId, @RequestBody(required = false) byte[] body) {
        String actor = visible(actorHeader, threadId);
        JsonNode request = body == null || body.length == 0 ? LoomJson.mapper().createObjectNode()
                : LoomJson.parse(body);
        if (!request.isObject()) {
            throw LoomException.invalid("Request body must be an object", LoomException.details("field", "body"));
        }
        List<String> removed = labelList(request, "remove");
        List<String> added = labelList(request, "add");
        labels.remove(actor, threadId, removed);
        labels.add(actor, threadId, added);
        return answer(actor, threadId);
    }

    /** Archive (spec §20.1): out of the inbox, into the archive. */
    @PostMapping("/v1/mailbox/threads/{threadId}/archive")
    ResponseEntity<byte[]> archive(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @PathVariable String threadId) {
        String actor = visible(actorHeader, threadId);
        labels.remove(actor, threadId, List.of(MailboxLabels.INBOX));
        labels.add(actor, threadId, List.of(MailboxLabels.ARCHIVE));
        return answer(actor, threadId);
    }

    /** Delete (spec §20.1): into the trash; purging is a retention policy matter, not done here. */
    @PostMapping("/v1/mailbox/threads/{threadId}/trash")
    ResponseEntity<byte[]> trash(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @PathVariable String threadId) {
        String actor = visible(actorHeader, threadId);
        labels.add(actor, threadId, List.of(MailboxLabels.TRASH));
        return answer(actor, threadId);
    }

    private String visible(String actorHeader, String threadId) {
        String actor = Actors.require(actorHeader);
        if (!readers.canSeeThread(threadId, actor)) {
            throw new LoomException(ErrorCode.THREAD_NOT_FOUND, "Thread not found: " + threadId,
                    LoomException.details("thread_id", threadId));
        }
        return actor;
    }

    private ResponseEntity<byte[]> answer(String actor, String threadId) {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("thread_id", threadId);
        labels.of(actor, threadId).forEach(body.putArray("labels")::add);
        return JsonResponses.ok(body);
    }

    private static List<String> labelList(JsonNode request, String field) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw LoomException.invalid(field + " must be an array of labels", LoomException.details("field", field));
        }
        Set<String> result = new LinkedHashSet<>();
        for (JsonNode item : node) {
            String label = item.isString() ? item.stringValue().strip() : "";
            if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
                throw LoomException.invalid(field + " must hold non-empty labels of at most " + MAX_LABEL_LENGTH
                        + " characters", LoomException.details("field", field));
            }
            if (label.startsWith("sys.") && !SYSTEM_LABELS.contains(label)) {
                throw LoomException.invalid("Unknown system label: " + label,
                        LoomException.details("field", field, "label", label));
            }
            result.add(label);
        }
        return new ArrayList<>(result);
    }
}
