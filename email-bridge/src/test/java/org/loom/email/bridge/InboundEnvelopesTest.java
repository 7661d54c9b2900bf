package org.loom.email.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.envelope.EnvelopeValidator;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class InboundEnvelopesTest {

    private static final SigningKey KEY = SigningKey.generate();
    private static final NodeSigner NODE = new NodeSigner("node.test", "k_node_sign_test", KEY);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00.123456Z"), ZoneOffset.UTC);

    private final MapMessageIndex index = new MapMessageIndex();
    private final InboundEnvelopes envelopes = new InboundEnvelopes(index, NODE, CLOCK);

    private static JsonNode json(String text) {
        return LoomJson.parse(text);
    }

    private BridgedEnvelope inbound(String body) {
        return envelopes.build(InboundEmailReader.fromJson(json(body)), BridgeSource.EMAIL, null);
    }

    @Test
    void mapsTheReferenceJsonFormToASignedBridgeEnvelope() {
        BridgedEnvelope bridged = inbound("""
                {"smtp_from": "Alice Example <Alice@Example.com>", "to": "bob@node.test",
                 "cc": ["carol@node.test"], "headers": {"subject": "Lunch?", "X-Custom": "1"},
                 "message_id": "<m1@example.com>", "date": "Mon, 16 Feb 2026 22:05:00 +0000",
                 "text": "Shall we meet at noon?", "auth_results": {"spf": "pass", "dkim": "pass", "dmarc": "fail"}}
                """);
        ObjectNode envelope = bridged.envelope();

        assertThat(EnvelopeValidator.validate(envelope)).isEmpty();
        assertThat(EnvelopeSignatures.verify(envelope, KEY.verifyingKey())).isTrue();
        assertThat(envelope.path("from").path("identity").asString()).isEqualTo("bridge://alice@example.com");
        assertThat(envelope.path("from").path("display").asString()).isEqualTo("Alice Example");
        assertThat(envelope.path("from").path("type").asString()).isEqualTo("bridge");
        assertThat(envelope.path("from").path("key_id").asString()).isEqualTo("k_node_sign_test");
        assertThat(envelope.path("to").toString())
                .isEqualTo("[{\"identity\":\"loom://bob@node.test\",\"role\":\"primary\"},"
                        + "{\"identity\":\"loom://carol@node.test\",\"role\":\"cc\"}]");
        assertThat(envelope.path("created_at").asString()).isEqualTo("2026-02-16T22:05:00.000Z");
        assertThat(envelope.path("parent_id").isNull()).isTrue();
        assertThat(envelope.path("thread_id").asString()).startsWith("thr_");
        assertThat(bridged.newThread()).isTrue();
        JsonNode structured = envelope.path("content").path("structured");
        assertThat(structured.path("intent").asString()).isEqualTo("schedule.meeting@v1");
        assertThat(structured.path("parameters").path("extracted").asBoolean()).isTrue();
        assertThat(structured.path("parameters").path("extraction_confidence").asDouble()).isEqualTo(0.5);
        assertThat(structured.path("parameters").path("subject").asString()).isEqualTo("Lunch?");
        assertThat(envelope.path("references").path("external").get(0).path("ref").asString())
                .isEqualTo("m1@example.com");
        JsonNode bridge = envelope.path("meta").path("bridge");
        assertThat(bridge.path("source").asString()).isEqualTo("email");
        assertThat(bridge.path("original_message_id").asString()).isEqualTo("m1@example.com");
        assertThat(bridge.path("original_headers").path("X-Custom").asString()).isEqualTo("1");
        assertThat(bridge.path("auth_results").toString())
                .isEqualTo("{\"spf\":\"pass\",\"dkim\":\"pass\",\"dmarc\":\"fail\"}");
        assertThat(bridge.path("subject").asString()).isEqualTo("Lunch?");
    }

    @Test
    void threadsAReplyUnderTheEnvelopeItsInReplyToNames() {
        index.add(new IndexedMessage("orig@example.com", "env_01JZ0000000000000000000001",
                "thr_01JZ0000000000000000000001", "Plans", List.of()));
        BridgedEnvelope reply = inbound("""
                {"from": "bob@example.org", "to": "alice@node.test", "in_reply_to": "<orig@example.com>",
                 "references": "<older@example.com> <orig@example.com>", "text": "Sounds good"}
                """);
        assertThat(reply.threadId()).isEqualTo("thr_01JZ0000000000000000000001");
        assertThat(reply.parentId()).isEqualTo("env_01JZ0000000000000000000001");
        assertThat(reply.envelope().path("references").path("in_reply_to").asString())
                .isEqualTo("env_01JZ0000000000000000000001");
        assertThat(reply.references()).containsExactly("older@example.com", "orig@example.com");
    }

    @Test
    void fallsBackToReferencesFromTheNewestWhenInReplyToIsUnknown() {
        index.add(new IndexedMessage("a@x", "env_01JZ000000000000000000000A", "thr_01JZ000000000000000000000A",
                null, List.of()));
        index.add(new IndexedMessage("b@x", "env_01JZ000000000000000000000B", "thr_01JZ000000000000000000000A",
                null, List.of()));
        BridgedEnvelope reply = inbound("""
                {"from": "bob@example.org", "to": "alice@node.test",
                 "headers": {"IN-REPLY-TO": "<unknown@x>", "references": "<a@x>\\r\\n <b@x> <c@x>"}}
                """);
        assertThat(reply.parentId()).isEqualTo("env_01JZ000000000000000000000B");
    }

    @Test
    void anUnknownParentOpensANewThreadAndTheNodeMakesUpAMessageId() {
        BridgedEnvelope bridged = inbound("""
                {"from": "bob@example.org", "to": "alice@node.test", "in_reply_to": "<nobody@x>"}
                """);
        assertThat(bridged.newThread()).isTrue();
        assertThat(bridged.messageId()).isEqualTo(bridged.envelopeId() + "@node.test");
        assertThat(bridged.envelope().path("content").path("human").path("text").asString()).isEqualTo("(no body)");
        assertThat(bridged.envelope().path("created_at").asString()).isEqualTo("2026-03-01T10:00:00.123Z");
    }

    @Test
    void recipientsKeepTheirMostVisibleRoleAndTheFirstBecomesPrimaryWithoutTo() {
        BridgedEnvelope bridged = inbound("""
                {"from": "x@example.org", "cc": "a@node.test, b@node.test", "bcc": ["b@node.test", "c@node.test"],
                 "text": "hi"}
                """);
        assertThat(bridged.envelope().path("to").toString()).isEqualTo(
                "[{\"identity\":\"loom://a@node.test\",\"role\":\"primary\"},"
                        + "{\"identity\":\"loom://b@node.test\",\"role\":\"cc\"},"
                        + "{\"identity\":\"loom://c@node.test\",\"role\":\"bcc\"}]");
    }

    @Test
    void rcptToReplacesTheToHeader() {
        BridgedEnvelope bridged = inbound("""
                {"from": "x@example.org", "to": "list@lists.example", "rcpt_to": ["bob@node.test"], "text": "hi"}
                """);
        assertThat(bridged.envelope().path("to").get(0).path("identity").asString()).isEqualTo("loom://bob@node.test");
        assertThat(bridged.envelope().path("to").size()).isEqualTo(1);
    }

    @Test
    void htmlOnlyMailBecomesText() {
        BridgedEnvelope bridged = inbound("""
                {"from": "x@example.org", "to": "a@node.test", "html": "<p>Hello &amp; welcome</p>"}
                """);
        assertThat(bridged.envelope().path("content").path("human").path("text").asString())
                .isEqualTo("Hello & welcome");
    }

    @Test
    void statedConfidenceOverridesTheExtractedOne() {
        BridgedEnvelope bridged = inbound("""
                {"from": "x@example.org", "to": "a@node.test", "text": "hello", "extraction_confidence": 0.9}
                """);
        assertThat(bridged.intent().confidence()).isEqualTo(0.9);
        assertThat(bridged.envelope().path("meta").path("bridge").path("extraction_confidence").asDouble())
                .isEqualTo(0.9);
    }

    @Test
    void authResultsComeFromTheNearestAuthenticationResultsHeaderWhenNotStated() {
        BridgedEnvelope bridged = envelopes.build(InboundEmailReader.fromRaw("""
                Authentication-Results: mx.node.test; spf=pass; dkim=pass; dmarc=pass\r
                From: Bob <bob@example.org>\r
                To: alice@node.test\r
                Subject: =?UTF-8?Q?Caf=C3=A9?=\r
                Message-ID: <raw1@example.org>\r
                \r
                Hello\r
                """.getBytes(StandardCharsets.UTF_8)), BridgeSource.EMAIL, null);
        JsonNode bridge = bridged.envelope().path("meta").path("bridge");
        assertThat(bridge.path("auth_results").toString())
                .isEqualTo("{\"spf\":\"pass\",\"dkim\":\"pass\",\"dmarc\":\"pass\"}");
        assertThat(bridge.path("subject").asString()).isEqualTo("Café");
        assertThat(bridge.path("original_headers").path("Message-ID").asString()).isEqualTo("<raw1@example.org>");
        assertThat(bridged.messageId()).isEqualTo("raw1@example.org");
    }

    @Test
    void legacyGatewaySubmissionsAreSentByTheActor() {
        BridgedEnvelope bridged = envelopes.build(InboundEmailReader.fromJson(json("""
                {"from": "ignored@example.org", "to": "bob@node.test", "text": "hi"}
                """)), BridgeSource.LEGACY_GATEWAY, "loom://alice@node.test");
        JsonNode envelope = bridged.envelope();
        assertThat(envelope.path("from").path("identity").asString()).isEqualTo("loom://alice@node.test");
        assertThat(envelope.path("from").path("type").asString()).isEqualTo("human");
        assertThat(envelope.path("meta").path("bridge").path("source").asString()).isEqualTo("legacy_gateway");
        assertThat(envelope.path("meta").path("bridge").path("auth_results").path("dkim").asString())
                .isEqualTo("pass");
    }

    @Test
    void refusesMailWithoutRecipientsOrSenderOrWithInvalidIdentities() {
        assertInvalid("{\"from\": \"x@example.org\", \"text\": \"hi\"}");
        assertInvalid("{\"to\": \"a@node.test\"}");
        assertInvalid("{\"from\": \"not an address\", \"to\": \"a@node.test\"}");
        assertInvalid("{\"from\": \"x@example.org\", \"to\": \"a+tag@node.test\"}");
        assertInvalid("{\"from\": \"x@example.org\", \"to\": \"a@node.test\", \"priority\": \"asap\"}");
        assertInvalid("{\"from\": \"x@example.org\", \"to\": \"a@node.test\", \"attachments\": [{\"id\": 1}]}");
        assertInvalid("{\"from\": \"x@example.org\", \"to\": 7}");
    }

    private void assertInvalid(String body) {
        assertThatThrownBy(() -> inbound(body)).isInstanceOfSatisfying(LoomException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVELOPE_INVALID));
    }
}
