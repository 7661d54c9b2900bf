package org.loom.email.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * An MTA told {@code 503 DECISION_PENDING} keeps the message and hands it over again, without an Idempotency-Key. The
 * bridge here waits far too briefly for any decision, so the first hand-over is always pending; the resends must
 * end in the envelope the first one made, never a second envelope.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "loom.email.decision-timeout=1ms")
class InboundResendAfterPendingDecisionIntegrationTest extends RunningEmailBridge {

    private static final String ALICE = "loom://alice@node.test";
    private static final String MTA = "loom://mta@node.test";

    @Test
    void aResendAfterDecisionPendingIsAnsweredWithTheFirstEnvelope() throws Exception {
        String raw = """
                From: bob@example.org\r
                To: alice@node.test\r
                Subject: Delivery note\r
                Message-ID: <slow-%s@example.org>\r
                \r
                The parcel left the warehouse.\r
                """.formatted(LoomIds.next(IdPrefix.EVENT));
        HttpResponse<String> first = postMessage("/v1/bridge/email/inbound", MTA, raw);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(503);
        JsonNode error = LoomJson.parse(first.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("DECISION_PENDING");
        String envelopeId = error.path("details").path("envelope_id").asString();
        assertThat(envelopeId).startsWith("env_");

        HttpResponse<String>[] resent = new HttpResponse[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            resent[0] = postMessage("/v1/bridge/email/inbound", MTA, raw);
            return resent[0].statusCode() != 503;
        });
        assertThat(resent[0].statusCode()).as(resent[0].body()).isEqualTo(201);
        JsonNode answer = LoomJson.parse(resent[0].body());
        assertThat(answer.path("envelope_id").asString()).isEqualTo(envelopeId);
        JsonNode envelopes = LoomJson.parse(EnvelopeServiceNode.get().call("GET",
                "/v1/threads/" + answer.path("thread_id").asString() + "/envelopes", ALICE, null).body());
        assertThat(envelopes.path("envelopes").size()).isEqualTo(1);
        assertThat(envelopes.path("envelopes").get(0).path("id").asString()).isEqualTo(envelopeId);
    }
}
