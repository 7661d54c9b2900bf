package org.loom.envelope.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.loom.envelope.RunningEnvelopeService;
import org.loom.envelope.TestEnvelopes;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How long the node takes to load, order and return a 10,000-envelope thread over HTTP. The time is printed, not
 * asserted; what is asserted is that the answer is complete and topologically ordered.
 */
class LargeThreadReadTest extends RunningEnvelopeService {

    private static final int ENVELOPES = 10_000;
    private static final int RUNS = 5;
    private static final String OWNER = "loom://big-owner@node.test";

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void tenThousandEnvelopeThreadComesBackCompleteWithParentsBeforeChildren() throws Exception {
        String threadId = TestEnvelopes.newThreadId();
        storeThread(threadId);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/threads/" + threadId + "/envelopes"))
                .header("X-LOOM-Actor", OWNER).GET().build();

        HttpResponse<String> response = null;
        List<Long> millis = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            long started = System.nanoTime();
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
            millis.add((System.nanoTime() - started) / 1_000_000);
        }
        System.out.printf("GET /v1/threads/{id}/envelopes, %d envelopes, %d bytes: %s ms per request%n", ENVELOPES,
                response.body().length(), millis);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode envelopes = LoomJson.parse(response.body()).get("envelopes");
        assertThat(envelopes.size()).isEqualTo(ENVELOPES);
        Set<String> seen = new HashSet<>();
        for (JsonNode envelope : envelopes) {
            JsonNode parent = envelope.get("parent_id");
            if (!parent.isNull()) {
                assertThat(seen).contains(parent.stringValue());
            }
            seen.add(envelope.get("id").stringValue());
        }
    }

    /** A thread of replies to random earlier envelopes, written straight to the tables. */
    private void storeThread(String threadId) {
        Random random = new Random(42);
        Instant start = Instant.parse("2026-02-16T20:00:00Z");
        List<String> ids = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < ENVELOPES; i++) {
            String id = TestEnvelopes.newEnvelopeId();
            String parent = ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
            Instant createdAt = start.plusMillis(random.nextInt(1_000_000));
            ObjectNode envelope = LoomJson.mapper().createObjectNode();
            envelope.put("loom", "1.1").put("id", id).put("thread_id", threadId).put("parent_id", parent)
                    .put("type", "message");
            envelope.putObject("from").put("identity", OWNER).put("key_id", "k_sign_big").put("type", "human");
            envelope.putArray("to").addObject().put("identity", "loom://big-reader@node.test").put("role", "primary");
            envelope.put("created_at", Timestamps.format(createdAt));
            envelope.putObject("content").putObject("human").put("text", "Reply number " + i).put("format",
                    "plaintext");
            envelope.putObject("signature").put("algorithm", "Ed25519").put("key_id", "k_sign_big")
                    .put("value", "x".repeat(86));
            envelope.putObject("meta").put("node_id", NODE_ID).put("received_at", Timestamps.format(createdAt))
                    .put("event_seq", i + 1).put("origin_event_seq", i + 1).put("pending_parent", false);
            rows.add(new Object[] {id, threadId, parent, "message", OWNER, Timestamps.format(createdAt),
                    createdAt.toEpochMilli(), Timestamps.format(createdAt), i + 1, LoomJson.write(envelope)});
            ids.add(id);
        }
        String now = Timestamps.format(Instant.now());
        jdbc.update("INSERT INTO thread (id, root_envelope_id, subject, state, created_at, updated_at, labels,"
                + " cap_epoch, event_seq_counter) VALUES (?, ?, NULL, 'active', ?, ?, '[]', 0, ?)", threadId,
                ids.get(0), Timestamps.format(start), now, ENVELOPES);
        jdbc.update("INSERT INTO thread_participant (thread_id, identity, ordinal, role, joined_at, left_at)"
                + " VALUES (?, ?, 0, 'owner', ?, NULL)", threadId, OWNER, Timestamps.format(start));
        jdbc.batchUpdate("INSERT INTO envelope (id, thread_id, parent_id, type, sender, created_at, created_at_ms,"
                + " received_at, event_seq, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
    }
}
