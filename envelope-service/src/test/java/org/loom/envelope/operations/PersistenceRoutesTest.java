package org.loom.envelope.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.loom.envelope.CommandDrivenTest;
import org.loom.envelope.TestEnvelopes;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The service's own backup part on PostgreSQL: exported, imported back, and the service goes on writing. */
class PersistenceRoutesTest extends CommandDrivenTest {

    private static final String ALICE = "loom://alice@node.test";
    private static final String BOB = "loom://bob@node.test";

    @Test
    void exportedPartImportsBackAndNewWritesFollowIt() throws Exception {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String threadId = TestEnvelopes.newThreadId();
        String rootId = TestEnvelopes.newEnvelopeId();
        submit(envelopes.message(rootId, threadId, null, ALICE, t0, BOB), ALICE);

        JsonNode schema = LoomJson.parse(send("GET", "/internal/persistence/schema", null, null).body());
        assertThat(schema.get("initialized").asBoolean()).isTrue();
        assertThat(schema.get("database").asString()).containsIgnoringCase("postgres");

        HttpResponse<String> exported = send("GET", "/internal/persistence/export", null, null);
        assertThat(exported.statusCode()).isEqualTo(200);
        JsonNode part = LoomJson.parse(exported.body());
        assertThat(part.at("/tables/envelope/rows").size()).isPositive();
        assertThat(part.at("/tables").has("flyway_schema_history")).isFalse();
        long envelopesBefore = part.at("/tables/envelope/rows").size();

        HttpResponse<String> imported = importing(exported.body());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        JsonNode again = LoomJson.parse(send("GET", "/internal/persistence/export", null, null).body());
        assertThat(again.at("/tables/envelope/rows").size()).isEqualTo(envelopesBefore);

        // Identity columns continue after the imported ids: the outbox takes new events without collisions.
        CommandResult reply = submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, rootId, BOB,
                t0.plusMillis(10), ALICE), BOB);
        assertThat(reply.body().at("/meta/event_seq").asInt()).isEqualTo(2);
    }

    @Test
    void partsThatDoNotFitAreRefusedWithoutChangingAnything() throws Exception {
        ObjectNode foreign = LoomJson.mapper().createObjectNode();
        foreign.put("format_version", 1);
        foreign.putObject("tables").putObject("no_such_table").putArray("columns");
        assertThat(importing(foreign.toString()).statusCode()).isEqualTo(400);
        foreign.put("format_version", 99);
        assertThat(importing(foreign.toString()).statusCode()).isEqualTo(400);
        assertThat(importing("[]").statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> importing(String part) throws Exception {
        return send("POST", "/internal/persistence/import", null, part);
    }
}
