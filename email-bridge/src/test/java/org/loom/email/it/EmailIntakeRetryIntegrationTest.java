package org.loom.email.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;

/**
 * A client or MTA that lost the answer to an email it handed over sends the same request again: the retry is answered
 * with the envelope the first request made, never a second envelope. "The same" is the same Message-ID (with the same
 * sender and recipients), or, for an email without one, the same caller and {@code Idempotency-Key}.
 */
class EmailIntakeRetryIntegrationTest extends RunningEmailBridge {

    private static final String ALICE = "loom://alice@node.test";
    private static final String MTA = "loom://mta@node.test";

    @Test
    void aLegacySubmissionSentAgainWithItsMessageIdIsAnsweredWithTheFirstEnvelope() throws Exception {
        String raw = """
                From: Alice <alice@node.test>\r
                To: Bob <bob@example.org>\r
                Subject: Minutes\r
                Message-ID: <minutes-%s@node.test>\r
                \r
                The minutes of Tuesday.\r
                """.formatted(LoomIds.next(IdPrefix.EVENT));

        JsonNode first = created(postMessage("/v1/gateway/smtp/submit", ALICE, raw));
        JsonNode again = created(postMessage("/v1/gateway/smtp/submit", ALICE, raw));

        assertThat(again.path("envelope_id").asString()).isEqualTo(first.path("envelope_id").asString());
        assertThat(again.path("message_id").asString()).isEqualTo(first.path("message_id").asString());
        assertThat(envelopesOf(first.path("thread_id").asString(), ALICE)).containsExactly(
                first.path("envelope_id").asString());
    }

    @Test
    void aLegacySubmissionWithoutMessageIdSentAgainWithItsKeyMakesNoSecondEnvelope() throws Exception {
        String body = """
                {"to": "bob@example.org", "text": "Lunch at noon?", "headers": {"Subject": "Lunch"}}
                """;
        String key = "submit-" + LoomIds.next(IdPrefix.EVENT);

        JsonNode first = created(postWithKey("/v1/gateway/smtp/submit", ALICE, body, key));
        JsonNode again = created(postWithKey("/v1/gateway/smtp/submit", ALICE, body, key));
        JsonNode otherKey = created(postWithKey("/v1/gateway/smtp/submit", ALICE, body, key + "-other"));

        assertThat(again.path("envelope_id").asString()).isEqualTo(first.path("envelope_id").asString());
        assertThat(again.path("message_id").asString()).isEqualTo(first.path("message_id").asString());
        assertThat(envelopesOf(first.path("thread_id").asString(), ALICE)).containsExactly(
                first.path("envelope_id").asString());
        assertThat(otherKey.path("envelope_id").asString()).as("another key is another email")
                .isNotEqualTo(first.path("envelope_id").asString());
    }

    @Test
    void anInboundEmailWithoutMessageIdSentAgainWithItsKeyIsAnsweredWithTheFirstEnvelope() throws Exception {
        String body = """
                {"smtp_from": "carrier@example.net", "rcpt_to": ["alice@node.test"], "text": "Parcel at the desk"}
                """;
        String key = "inbound-" + LoomIds.next(IdPrefix.EVENT);

        JsonNode first = created(postWithKey("/v1/bridge/email/inbound", MTA, body, key));
        JsonNode again = created(postWithKey("/v1/bridge/email/inbound", MTA, body, key));

        assertThat(again.path("envelope_id").asString()).isEqualTo(first.path("envelope_id").asString());
        assertThat(again.path("thread_id").asString()).isEqualTo(first.path("thread_id").asString());
        assertThat(envelopesOf(first.path("thread_id").asString(), ALICE)).containsExactly(
                first.path("envelope_id").asString());
    }

    @Test
    void anInboundEmailWithoutMessageIdOrKeyIsTakenEachTimeItIsSent() throws Exception {
        String body = """
                {"smtp_from": "carrier@example.net", "rcpt_to": ["alice@node.test"], "text": "Second parcel"}
                """;

        JsonNode first = created(post("/v1/bridge/email/inbound", MTA, body));
        JsonNode second = created(post("/v1/bridge/email/inbound", MTA, body));

        // Nothing tells the two requests apart from two emails with the same text.
        assertThat(second.path("envelope_id").asString()).isNotEqualTo(first.path("envelope_id").asString());
    }

    private static JsonNode created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return LoomJson.parse(response.body());
    }

    private static List<String> envelopesOf(String threadId, String reader) throws Exception {
        JsonNode envelopes = LoomJson.parse(EnvelopeServiceNode.get().call("GET",
                "/v1/threads/" + threadId + "/envelopes", reader, null).body());
        return envelopes.path("envelopes").valueStream().map(envelope -> envelope.path("id").asString()).toList();
    }
}
