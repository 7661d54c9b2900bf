package org.loom.envelope.read;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.loom.envelope.audience.EnvelopeReaders;
import org.loom.envelope.stored.EnvelopeStore.ThreadEntry;
import org.loom.envelope.thread.ThreadPosition;
import org.loom.envelope.thread.ThreadRecord;
import org.loom.envelope.thread.ThreadStore;
import org.loom.envelope.thread.ThreadSummaries;
import org.loom.envelope.thread.ThreadSummary;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.thread.DagNode;
import org.loom.protocol.thread.ThreadDag;
import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The thread read routes. A thread is visible to those who are or were its participants and to those a restricted
 * envelope of it names (a Bcc recipient, for one), and each of them sees only the envelopes its audience admits
 * ({@link EnvelopeReaders}); to anyone else the thread does not exist (the same 404 as a thread that really does not),
 * so its existence is not revealed.
 */
@RestController
class ThreadReadController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final ThreadStore threads;
    private final EnvelopeReaders readers;
    private final ThreadSummaries summaries;

    ThreadReadController(ThreadStore threads, EnvelopeReaders readers, ThreadSummaries summaries) {
        this.threads = threads;
        this.readers = readers;
        this.summaries = summaries;
    }

    /**
     * {@code {threads: [summary...], next_cursor?}}: the caller's threads, most recently updated first. A page holds
     * {@code limit} threads (default 100, at most 1000); {@code next_cursor} is present when more follow. With
     * {@code label}, only the threads the caller filed under that mailbox label.
     */
    @GetMapping("/v1/threads")
    ResponseEntity<byte[]> list(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @RequestParam(name = "limit", required = false) String limitParam,
            @RequestParam(name = "cursor", required = false) String cursor,
            @RequestParam(name = "label", required = false) String label) {
        String actor = Actors.require(actorHeader);
        int limit = limit(limitParam);
        Optional<ThreadPosition> after = ThreadListCursor.decode(cursor);
        List<ThreadRecord> page = threads.pageOfThreadsVisibleTo(actor,
                label == null || label.isEmpty() ? Optional.empty() : Optional.of(label), after, limit + 1);
        boolean more = page.size() > limit;
        List<ThreadRecord> shown = more ? page.subList(0, limit) : page;
        ObjectNode body = LoomJson.mapper().createObjectNode();
        ArrayNode list = body.putArray("threads");
        for (ThreadSummary summary : summaries.of(shown)) {
            list.add(summary.toJson());
        }
        if (more) {
            body.put("next_cursor", ThreadListCursor.encode(ThreadPosition.after(shown.get(shown.size() - 1))));
        }
        return JsonResponses.ok(body);
    }

    /** The thread's summary. */
    @GetMapping("/v1/threads/{threadId}")
    ResponseEntity<byte[]> get(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @PathVariable String threadId) {
        String actor = Actors.require(actorHeader);
        ThreadRecord thread = visibleThread(threadId, actor);
        return JsonResponses.ok(summaries.of(thread).toJson());
    }

    /**
     * {@code {thread_id, envelopes: [...]}}: every envelope of the thread the caller may read, in the canonical
     * rendering order. The envelopes are written out as stored, without being parsed again.
     */
    @GetMapping("/v1/threads/{threadId}/envelopes")
    void envelopes(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @PathVariable String threadId, HttpServletResponse response) throws IOException {
        String actor = Actors.require(actorHeader);
        visibleThread(threadId, actor);
        List<ThreadEntry> entries = readers.readableEntries(threadId, actor);
        List<DagNode> nodes = new ArrayList<>(entries.size());
        for (ThreadEntry entry : entries) {
            nodes.add(entry.node());
        }
        int[] order = ThreadDag.canonicalPositions(nodes);
        // Written out as it goes rather than assembled first: a long thread is megabytes.
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(JsonResponses.JSON_UTF8.toString());
        OutputStream out = response.getOutputStream();
        write(out, "{\"thread_id\":" + LoomJson.write(StringNode.valueOf(threadId)) + ",\"envelopes\":[");
        boolean first = true;
        for (int position : order) {
            if (!first) {
                out.write(',');
            }
            first = false;
            write(out, entries.get(position).json());
        }
        write(out, "]}");
    }

    private ThreadRecord visibleThread(String threadId, String actor) {
        return threads.find(threadId)
                .filter(thread -> !thread.opening() && readers.canSeeThread(threadId, actor))
                .orElseThrow(() -> new LoomException(ErrorCode.THREAD_NOT_FOUND, "Thread not found: " + threadId,
                        LoomException.details("thread_id", threadId)));
    }

    private static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw LoomException.invalid("limit must be an integer", LoomException.details("field", "limit"));
        }
        if (limit < 1) {
            throw LoomException.invalid("limit must be at least 1", LoomException.details("field", "limit"));
        }
        return Math.min(limit, MAX_LIMIT);
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
