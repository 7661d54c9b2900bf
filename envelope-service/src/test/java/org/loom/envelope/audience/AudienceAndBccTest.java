package org.loom.envelope.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.loom.envelope.CommandChannel;
import org.loom.envelope.RunningEnvelopeServiceWithChannel;
import org.loom.envelope.TestEnvelopes;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Audience and Bcc over the internal routes, with mailbox labels, search and the audit chain: what each kind of reader
 * gets, on envelopes stored through the write path.
 */
class AudienceAndBccTest extends RunningEnvelopeServiceWithChannel {

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();
    private final TestEnvelopes envelopes = new TestEnvelopes();
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final String run = Long.toString(System.nanoTime());
    private final String alice = "loom://alice-" + run + "@node.test";
    private final String bob = "loom://bob-" + run + "@node.test";
    private final String carol = "loom://carol-" + run + "@node.test";
    private final String dan = "loom://dan-" + run + "@node.test";
    private final String eve = "loom://eve-" + run + "@node.test";

    @Test
    void bccRecipientsSeeOnlyTheirCopyOthersNeverSeeThemAndOutsidersSeeNothing() throws Exception {
        String threadId = TestEnvelopes.newThreadId();
        String term = "quokka" + run;
        ObjectNode sent = envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, alice, t0, bob);
        ((ObjectNode) sent.get("content").get("human")).put("text", "Budget " + term);
        ArrayNode to = sent.withArray("to");
        to.addObject().put("identity", carol).put("role", "bcc");
        to.addObject().put("identity", dan).put("role", "bcc");
        CommandResult stored = submit(envelopes.sign(sent, alice), alice);
        String id = stored.body().get("id").stringValue();
        // The sender's answer is its own signed envelope, Bcc list included.
        assertThat(LoomJson.write(stored.body())).contains(carol).contains(dan);

        // The sender reads its original; the visible envelope hides the Bcc recipients from the primary recipient.
        assertThat(get("/v1/envelopes/" + id, alice).body()).contains(carol).contains(dan).contains("\"signature\"");
        String bobsView = get("/v1/envelopes/" + id, bob).body();
        assertThat(bobsView).doesNotContain(carol).doesNotContain(dan).doesNotContain("\"signature\"");
        assertThat(get("/v1/threads/" + threadId + "/envelopes", bob).body()).doesNotContain(carol)
                .doesNotContain(dan);
        assertThat(get("/v1/threads/" + threadId, bob).body()).doesNotContain(carol).doesNotContain(dan);

        // Each Bcc recipient reads its copy only: not the visible envelope, not the other Bcc recipient.
        for (String[] pair : new String[][] {{carol, dan}, {dan, carol}}) {
            String reader = pair[0];
            String other = pair[1];
            assertThat(get("/v1/envelopes/" + id, reader).statusCode()).isEqualTo(404);
            JsonNode thread = LoomJson.parse(get("/v1/threads/" + threadId + "/envelopes", reader).body());
            assertThat(thread.get("envelopes").size()).isEqualTo(1);
            JsonNode copy = thread.get("envelopes").get(0);
            assertThat(copy.get("id").stringValue()).isNotEqualTo(id);
            assertThat(copy.at("/audience/mode").stringValue()).isEqualTo("custom");
            assertThat(LoomJson.write(copy.at("/audience/identities"))).isEqualTo("[\"" + alice + "\",\"" + reader
                    + "\"]");
            assertThat(copy.at("/references/linked_envelopes/0").stringValue()).isEqualTo(id);
            assertThat(LoomJson.write(thread)).doesNotContain(other);
            assertThat(get("/v1/envelopes/" + copy.get("id").stringValue(), reader).statusCode()).isEqualTo(200);
            assertThat(get("/v1/envelopes/" + copy.get("id").stringValue(), other).statusCode()).isEqualTo(404);
            assertThat(get("/v1/envelopes/" + copy.get("id").stringValue(), bob).statusCode()).isEqualTo(404);
            assertThat(get("/v1/threads/" + threadId, reader).body()).doesNotContain(other);
            assertThat(threadIds(get("/v1/threads", reader).body())).containsExactly(threadId);
            JsonNode found = LoomJson.parse(get("/v1/search?q=" + term, reader).body());
            assertThat(found.get("total").asLong()).isEqualTo(1);
            assertThat(found.at("/results/0/envelope_id").stringValue()).isEqualTo(copy.get("id").stringValue());
            assertThat(labels(reader, threadId)).containsExactly("sys.inbox");
        }

        // The thread's participants are the sender and the open recipient.
        JsonNode participants = LoomJson.parse(get("/v1/threads/" + threadId, alice).body()).get("participants");
        assertThat(participants.size()).isEqualTo(2);

        // An outsider gets nothing from any read route.
        assertThat(get("/v1/envelopes/" + id, eve).statusCode()).isEqualTo(404);
        assertThat(get("/v1/threads/" + threadId, eve).statusCode()).isEqualTo(404);
        assertThat(get("/v1/threads/" + threadId + "/envelopes", eve).statusCode()).isEqualTo(404);
        assertThat(get("/v1/mailbox/threads/" + threadId, eve).statusCode()).isEqualTo(404);
        assertThat(threadIds(get("/v1/threads", eve).body())).isEmpty();
        JsonNode outsiderSearch = LoomJson.parse(get("/v1/search?q=" + term, eve).body());
        assertThat(outsiderSearch.get("total").asLong()).isZero();
        assertThat(outsiderSearch.get("results").size()).isZero();
        assertThat(LoomJson.parse(get("/v1/search?thread_id=" + threadId, eve).body()).get("total").asLong())
                .isZero();
        assertThat(get("/v1/audit", eve).body()).doesNotContain(threadId);

        // The primary recipient's search finds the visible envelope only.
        JsonNode bobSearch = LoomJson.parse(get("/v1/search?q=" + term, bob).body());
        assertThat(bobSearch.get("total").asLong()).isEqualTo(1);
        assertThat(bobSearch.at("/results/0/envelope_id").stringValue()).isEqualTo(id);
        assertThat(bobSearch.at("/results/0/excerpt").stringValue()).isEqualTo("Budget " + term);
    }

    @Test
    void recipientsAndCustomAudiencesHideAnEnvelopeFromOtherParticipants() throws Exception {
        String threadId = TestEnvelopes.newThreadId();
        String root = TestEnvelopes.newEnvelopeId();
        submit(envelopes.message(root, threadId, null, alice, t0, bob, carol), alice);
        ObjectNode aside = envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, root, alice, t0.plusSeconds(1),
                bob);
        aside.putObject("audience").put("mode", "recipients");
        String asideId = submit(envelopes.sign(aside, alice), alice).body().get("id").stringValue();
        ObjectNode custom = envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, root, bob, t0.plusSeconds(2),
                alice);
        custom.putObject("audience").put("mode", "custom").putArray("identities").add(carol);
        String customId = submit(envelopes.sign(custom, bob), bob).body().get("id").stringValue();

        assertThat(ids(get("/v1/threads/" + threadId + "/envelopes", alice).body())).contains(root, asideId)
                .doesNotContain(customId);
        assertThat(ids(get("/v1/threads/" + threadId + "/envelopes", bob).body()))
                .containsExactly(root, asideId, customId);
        assertThat(ids(get("/v1/threads/" + threadId + "/envelopes", carol).body()))
                .containsExactly(root, customId);
        assertThat(get("/v1/envelopes/" + asideId, carol).statusCode()).isEqualTo(404);
        assertThat(get("/v1/envelopes/" + customId, alice).statusCode()).isEqualTo(404);
    }

    @Test
    void mailboxLabelsFollowDeliveryAndTheOwnersChanges() throws Exception {
        String threadId = TestEnvelopes.newThreadId();
        submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, alice, t0, bob), alice);

        assertThat(labels(alice, threadId)).containsExactly("sys.sent");
        assertThat(labels(bob, threadId)).containsExactly("sys.inbox");
        assertThat(threadIds(get("/v1/threads?label=sys.inbox", bob).body())).containsExactly(threadId);

        JsonNode archived = LoomJson.parse(post("/v1/mailbox/threads/" + threadId + "/archive", bob, "").body());
        assertThat(LoomJson.write(archived.get("labels"))).isEqualTo("[\"sys.archive\"]");
        assertThat(threadIds(get("/v1/threads?label=sys.inbox", bob).body())).isEmpty();
        assertThat(threadIds(get("/v1/threads?label=sys.archive", bob).body())).containsExactly(threadId);
        assertThat(labels(alice, threadId)).containsExactly("sys.sent");

        post("/v1/mailbox/threads/" + threadId, bob, "{\"add\":[\"projects\"],\"remove\":[\"sys.archive\"]}");
        assertThat(labels(bob, threadId)).containsExactly("projects");
        assertThat(post("/v1/mailbox/threads/" + threadId, bob, "{\"add\":[\"sys.bogus\"]}").statusCode())
                .isEqualTo(400);
        assertThat(post("/v1/mailbox/threads/" + threadId, bob, "{\"add\":\"x\"}").statusCode()).isEqualTo(400);

        // A new message brings the conversation back to the inbox.
        submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, alice, t0.plusSeconds(1), bob),
                alice);
        assertThat(labels(bob, threadId)).containsExactly("projects", "sys.inbox");
        post("/v1/mailbox/threads/" + threadId + "/trash", bob, "");
        assertThat(labels(bob, threadId)).contains("sys.trash");
    }

    @Test
    void searchMatchesIntentParametersAndThreadMetadataAndRejectsBadBounds() throws Exception {
        String threadId = TestEnvelopes.newThreadId();
        ObjectNode task = envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, alice, t0, bob);
        ObjectNode structured = ((ObjectNode) task.get("content")).putObject("structured");
        structured.put("intent", "task.create@v1");
        structured.putObject("parameters").put("ticket", "TKT-" + run);
        submit(envelopes.sign(task, alice), alice);

        assertThat(total("/v1/search?q=tkt-" + run, bob)).isEqualTo(1);
        assertThat(total("/v1/search?intent=task.create@v1&thread_id=" + threadId, bob)).isEqualTo(1);
        assertThat(total("/v1/search?q=" + bob.substring("loom://".length()) + "&thread_id=" + threadId, alice))
                .isEqualTo(1);
        assertThat(total("/v1/search?label=sys.sent&thread_id=" + threadId, alice)).isEqualTo(1);
        assertThat(total("/v1/search?label=sys.sent&thread_id=" + threadId, bob)).isZero();
        assertThat(total("/v1/search?q=100%25&thread_id=" + threadId, bob)).isZero();
        assertThat(get("/v1/search?after=yesterday", bob).statusCode()).isEqualTo(400);
        assertThat(get("/v1/search?limit=many", bob).statusCode()).isEqualTo(400);
        assertThat(get("/v1/search", null).statusCode()).isEqualTo(401);
    }

    @Test
    void auditChainListsWhatConcernsTheCallerAndVerificationNamesAnAlteredEntry() throws Exception {
        String threadId = TestEnvelopes.newThreadId();
        String id = submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, alice, t0, bob), alice)
                .body().get("id").stringValue();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/v1/audit", alice).body().contains(id));
        JsonNode entry = LoomJson.parse(get("/v1/audit", alice).body()).at("/entries/0");
        assertThat(List.copyOf(entry.propertyNames())).containsExactly("event_id", "timestamp", "action", "payload",
                "prev_hash", "hash");
        assertThat(entry.get("action").stringValue()).isEqualTo("envelope.ingest");
        assertThat(get("/v1/audit", bob).body()).doesNotContain(id);
        assertThat(get("/v1/audit/verify", alice).statusCode()).isEqualTo(403);

        JsonNode verified = LoomJson.parse(getAsAdmin("/v1/audit/verify").body());
        assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();
        assertThat(LoomJson.parse(getAsAdmin("/v1/audit?limit=1000").body()).get("entries").size())
                .isGreaterThanOrEqualTo(1);

        String eventId = entry.get("event_id").stringValue();
        Map<String, Object> row = jdbc.sql("SELECT seq, hashed_text FROM audit_entry WHERE event_id = ?")
                .param(eventId).query().singleRow();
        String original = (String) row.get("hashed_text");
        try {
            jdbc.sql("UPDATE audit_entry SET hashed_text = ? WHERE event_id = ?")
                    .params(original.replace(alice, eve), eventId).update();
            JsonNode broken = LoomJson.parse(getAsAdmin("/v1/audit/verify").body());
            assertThat(broken.get("valid").asBoolean()).isFalse();
            assertThat(broken.at("/first_broken/event_id").stringValue()).isEqualTo(eventId);
            assertThat(broken.at("/first_broken/seq").asLong()).isEqualTo(((Number) row.get("seq")).longValue());
            assertThat(broken.at("/first_broken/reason").stringValue()).isEqualTo("hash_mismatch");
        } finally {
            jdbc.sql("UPDATE audit_entry SET hashed_text = ? WHERE event_id = ?").params(original, eventId).update();
        }
    }

    private List<String> labels(String identity, String threadId) throws Exception {
        HttpResponse<String> response = get("/v1/mailbox/threads/" + threadId, identity);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> labels = new ArrayList<>();
        LoomJson.parse(response.body()).get("labels").forEach(label -> labels.add(label.stringValue()));
        return labels;
    }

    private long total(String path, String actor) throws Exception {
        HttpResponse<String> response = get(path, actor);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return LoomJson.parse(response.body()).get("total").asLong();
    }

    private static List<String> threadIds(String body) {
        List<String> ids = new ArrayList<>();
        LoomJson.parse(body).get("threads").forEach(thread -> ids.add(thread.get("id").stringValue()));
        return ids;
    }

    private static List<String> ids(String body) {
        List<String> ids = new ArrayList<>();
        LoomJson.parse(body).get("envelopes").forEach(envelope -> ids.add(envelope.get("id").stringValue()));
        return ids;
    }

    private CommandResult submit(ObjectNode envelope, String actor) {
        CommandResult reply = channel.submit(CommandChannel.commandFor(envelope, actor));
        assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(201);
        return reply;
    }

    private HttpResponse<String> get(String path, String actor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (actor != null) {
            request.header("X-LOOM-Actor", actor);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> getAsAdmin(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-LOOM-Admin", "true").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String actor, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-LOOM-Actor", actor)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
