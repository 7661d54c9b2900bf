package org.loom.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.loom.protocol.json.LoomJson;

import tools.jackson.databind.JsonNode;

class ThreadRenderCheckTest {

    private static JsonNode render(String... envelopes) {
        return LoomJson.parse("{\"thread_id\":\"thr_1\",\"envelopes\":[" + String.join(",", envelopes) + "]}");
    }

    private static String envelope(String id, String parent, String createdAt) {
        return "{\"id\":\"" + id + "\",\"parent_id\":" + (parent == null ? "null" : "\"" + parent + "\"")
                + ",\"created_at\":\"" + createdAt + "\"}";
    }

    @Test
    void aRenderInCanonicalOrderWithEveryEnvelopeIsRight() {
        JsonNode body = render(envelope("env_a", null, "2026-12-03T10:00:00.000Z"),
                envelope("env_b", "env_a", "2026-12-03T10:00:01.000Z"),
                envelope("env_c", "env_a", "2026-12-03T10:00:02.000Z"));

        assertThat(ReadRun.rendersInCanonicalOrder(body, Set.of("env_a", "env_b", "env_c"))).isTrue();
    }

    @Test
    void aRenderOutOfOrderIsWrong() {
        JsonNode body = render(envelope("env_a", null, "2026-12-03T10:00:00.000Z"),
                envelope("env_c", "env_a", "2026-12-03T10:00:02.000Z"),
                envelope("env_b", "env_a", "2026-12-03T10:00:01.000Z"));

        assertThat(ReadRun.rendersInCanonicalOrder(body, Set.of("env_a", "env_b", "env_c"))).isFalse();
    }

    @Test
    void aRenderMissingAnAcceptedEnvelopeIsWrong() {
        JsonNode body = render(envelope("env_a", null, "2026-12-03T10:00:00.000Z"));

        assertThat(ReadRun.rendersInCanonicalOrder(body, Set.of("env_a", "env_b"))).isFalse();
    }
}
