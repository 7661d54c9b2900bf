package org.loom.email.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;

class OutboundRendererTest {

    private static final NodeSigner NODE = new NodeSigner("node.test", "k_node_sign_test", SigningKey.generate());

    private final MapMessageIndex index = new MapMessageIndex();
    private final OutboundRenderer renderer = new OutboundRenderer(index, NODE);

    private static JsonNode envelope(String parentId, String content) {
        return LoomJson.parse("""
                {"loom":"1.1","id":"env_01JZ00000000000000000000E2","thread_id":"thr_01JZ00000000000000000000T1",
                 "parent_id":%s,"type":"message",
                 "from":{"identity":"loom://alice@node.test","key_id":"k1","type":"human"},
                 "to":[{"identity":"bridge://bob@example.org","role":"primary"},
                       {"identity":"loom://carol@node.test","role":"cc"},
                       {"identity":"loom://dave@node.test","role":"bcc"}],
                 "created_at":"2026-03-01T10:00:00.000Z","content":%s}
                """.formatted(parentId == null ? "null" : "\"" + parentId + "\"", content));
    }

    private static final String TEXT = "{\"human\":{\"text\":\"Fish & <chips>\",\"format\":\"plaintext\"},"
            + "\"structured\":{\"intent\":\"message.general@v1\",\"parameters\":{}},\"encrypted\":false}";

    private static OutboundRenderer.Options defaults(boolean includeBcc) {
        return new OutboundRenderer.Options(null, null, null, null, includeBcc);
    }

    @Test
    void rendersTextHtmlAndTheLoomHeaders() {
        RenderedEmail email = renderer.render(envelope(null, TEXT), defaults(true));

        assertThat(email.to()).containsExactly("bob@example.org");
        assertThat(email.cc()).containsExactly("carol@node.test");
        assertThat(email.bcc()).containsExactly("dave@node.test");
        assertThat(email.text()).isEqualTo("Fish & <chips>");
        assertThat(email.html()).isEqualTo("<pre>Fish &amp; &lt;chips&gt;</pre>");
        assertThat(email.subject()).isEqualTo("message.general@v1");
        assertThat(email.headers()).containsExactly(
                java.util.Map.entry("Message-ID", "<env_01JZ00000000000000000000E2@node.test>"),
                java.util.Map.entry("X-LOOM-Intent", "message.general@v1"),
                java.util.Map.entry("X-LOOM-Thread-ID", "thr_01JZ00000000000000000000T1"),
                java.util.Map.entry("X-LOOM-Envelope-ID", "env_01JZ00000000000000000000E2"));
    }

    @Test
    void leavesBccOutWhenTheCallerMayNotSeeIt() {
        RenderedEmail email = renderer.render(envelope(null, TEXT), defaults(false));
        assertThat(email.bcc()).isEmpty();
        assertThat(email.rcptTo()).containsExactly("bob@example.org", "carol@node.test");
    }

    @Test
    void aReplyToABridgedEmailPointsAtItsMessageIdAndExtendsItsReferences() {
        index.add(new IndexedMessage("orig@example.org", "env_01JZ00000000000000000000E1",
                "thr_01JZ00000000000000000000T1", "Lunch plans", List.of("first@example.org")));
        RenderedEmail email = renderer.render(envelope("env_01JZ00000000000000000000E1", TEXT), defaults(true));

        assertThat(email.headers().get("In-Reply-To")).isEqualTo("<orig@example.org>");
        assertThat(email.headers().get("References")).isEqualTo("<first@example.org> <orig@example.org>");
        assertThat(email.subject()).isEqualTo("Re: Lunch plans");
        assertThat(OutboundRenderer.chainOf(email)).containsExactly("first@example.org", "orig@example.org");
    }

    @Test
    void aReplyToAnUnindexedParentUsesTheNodeMessageId() {
        RenderedEmail email = renderer.render(envelope("env_01JZ00000000000000000000E0", TEXT), defaults(true));
        assertThat(email.headers().get("In-Reply-To")).isEqualTo("<env_01JZ00000000000000000000E0@node.test>");
        assertThat(email.headers().get("References")).isEqualTo("<env_01JZ00000000000000000000E0@node.test>");
    }

    @Test
    void explicitRecipientsAndSubjectWin() {
        RenderedEmail email = renderer.render(envelope(null, TEXT), new OutboundRenderer.Options(
                List.of("\"Z, Zed\" <Zed@Example.net>, y@example.net"), "Hello", "noreply@node.test", null, true));
        assertThat(email.to()).containsExactly("zed@example.net", "y@example.net");
        assertThat(email.cc()).isEmpty();
        assertThat(email.subject()).isEqualTo("Hello");
        assertThat(email.smtpFrom()).isEqualTo("noreply@node.test");
    }

    @Test
    void encryptedContentIsNotRendered() {
        RenderedEmail email = renderer.render(envelope(null,
                "{\"encrypted\":true,\"profile\":\"loom-e2ee-1\",\"epoch\":0,\"ciphertext\":\"abc\"}"), defaults(true));
        assertThat(email.text()).isEqualTo("[Encrypted LOOM content]");
        assertThat(email.headers().get("X-LOOM-Intent")).isEqualTo("message.general@v1");
    }

    @Test
    void htmlContentIsSentAsHtmlWithATextAlternative() {
        RenderedEmail email = renderer.render(envelope(null,
                "{\"human\":{\"text\":\"<p>Hi <b>there</b></p>\",\"format\":\"html\"}}"), defaults(true));
        assertThat(email.html()).isEqualTo("<p>Hi <b>there</b></p>");
        assertThat(email.text()).isEqualTo("Hi there");
        assertThat(email.subject()).isEqualTo("LOOM message");
    }

    @Test
    void noRecipientsIsABadRequest() {
        assertThatThrownBy(() -> renderer.render(envelope(null, TEXT),
                new OutboundRenderer.Options(List.of("nobody"), null, null, null, true)))
                .isInstanceOf(LoomException.class);
    }
}
