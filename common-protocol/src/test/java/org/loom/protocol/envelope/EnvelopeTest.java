package org.loom.protocol.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.loom.protocol.envelope.EnvelopeValidatorTest.digestEnvelope;
import static org.loom.protocol.envelope.EnvelopeValidatorTest.parse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.loom.protocol.address.LoomAddress;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class EnvelopeTest {

    @Test
    void exposesTheFieldsOfTheReferenceDigestEnvelope() {
        Envelope envelope = EnvelopeValidator.parse(digestEnvelope());

        assertThat(envelope.id()).isEqualTo("env_01ARZ3NDEKTSV4RRFFQ69G5FAV");
        assertThat(envelope.threadId()).isEqualTo("thr_01ARZ3NDEKTSV4RRFFQ69G5FAW");
        assertThat(envelope.parentId()).isEmpty();
        assertThat(envelope.type()).isEqualTo("message");
        assertThat(envelope.coreType()).contains(EnvelopeType.MESSAGE);
        assertThat(envelope.isThreadOp()).isFalse();
        assertThat(envelope.from().identity()).isEqualTo(LoomAddress.parse("loom://alice@node.test"));
        assertThat(envelope.from().display()).isEqualTo("Alice");
        assertThat(envelope.from().keyId()).isEqualTo("k_sign_alice_1");
        assertThat(envelope.from().type()).isEqualTo(SenderType.HUMAN);
        assertThat(envelope.from().delegationChain().isMissingNode()).isTrue();
        assertThat(envelope.to()).containsExactly(
                new Recipient(LoomAddress.parse("loom://bob@node.test"), RecipientRole.PRIMARY));
        assertThat(envelope.audience()).isEmpty();
        assertThat(envelope.createdAt()).isEqualTo("2026-02-16T20:00:00Z");
        assertThat(envelope.createdAtInstant()).isEqualTo(Instant.parse("2026-02-16T20:00:00Z"));
        assertThat(envelope.expiresAt()).isEmpty();
        assertThat(envelope.priority()).contains(Priority.NORMAL);
        assertThat(envelope.encrypted()).isFalse();
        assertThat(envelope.intent()).contains("message.general@v1");
        assertThat(envelope.parameters()).isEqualTo(digestEnvelope().get("content").get("structured")
                .get("parameters"));
        assertThat(envelope.signatureKeyId()).isEqualTo("k_sign_alice_1");
    }

    @Test
    void keepsTheWholeEnvelopeInTheSendersKeyOrder() {
        ObjectNode sent = digestEnvelope();
        sent.put("x_custom", "kept");

        ObjectNode kept = EnvelopeValidator.parse(sent).json();

        assertThat(kept).isEqualTo(sent);
        assertThat(names(kept)).containsExactly("loom", "id", "thread_id", "parent_id", "type", "from", "to",
                "created_at", "priority", "content", "attachments", "meta", "signature", "x_custom");
        assertThat(names(kept.get("content").get("structured").get("parameters")))
                .containsExactly("b", "a", "10", "9", "Zed", "a_b", "aB");
    }

    @Test
    void isNotChangedByLaterChangesToTheSourceOrToCopiesHandedOut() {
        ObjectNode sent = digestEnvelope();
        Envelope envelope = EnvelopeValidator.parse(sent);

        sent.put("id", "env_01ARZ3NDEKTSV4RRFFQ69G5FB0");
        envelope.json().put("type", "task");
        ((ObjectNode) envelope.parameters()).put("b", 2);

        assertThat(envelope.id()).isEqualTo("env_01ARZ3NDEKTSV4RRFFQ69G5FAV");
        assertThat(envelope.type()).isEqualTo("message");
        assertThat(envelope.parameters().get("b").doubleValue()).isEqualTo(1.0);
        assertThat(envelope.json()).isEqualTo(digestEnvelope());
    }

    @Test
    void readsParentExpiryAudienceAndRecipientRoles() {
        ObjectNode sent = digestEnvelope();
        sent.put("parent_id", "env_01ARZ3NDEKTSV4RRFFQ69G5FB0");
        sent.put("expires_at", "2026-02-17T20:00:00+02:00");
        sent.set("to", parse("["
                + "{\"identity\":\"loom://bob@node.test\",\"role\":\"primary\"},"
                + "{\"identity\":\"loom://carol@node.test\",\"role\":\"bcc\"},"
                + "{\"identity\":\"loom://bob@node.test\",\"role\":\"cc\"},"
                + "{\"identity\":\"bridge://dave@example.com\",\"role\":\"bcc\"}]"));
        sent.set("audience", parse("{\"mode\":\"custom\",\"identities\":[\"loom://bob@node.test\"]}"));

        Envelope envelope = EnvelopeValidator.parse(sent);

        assertThat(envelope.parentId()).contains("env_01ARZ3NDEKTSV4RRFFQ69G5FB0");
        assertThat(envelope.expiresAt()).contains("2026-02-17T20:00:00+02:00");
        assertThat(envelope.audience()).contains(new Audience(AudienceMode.CUSTOM, List.of("loom://bob@node.test")));
        assertThat(envelope.bccRecipients()).extracting(r -> r.identity().toString())
                .containsExactly("loom://carol@node.test", "bridge://dave@example.com");
        assertThat(envelope.recipientIdentities()).containsExactly(
                "loom://bob@node.test", "loom://carol@node.test", "bridge://dave@example.com");
    }

    @Test
    void readsAnAgentSenderWithItsDelegationChain() {
        ObjectNode sent = digestEnvelope();
        sent.set("from", parse("{\"identity\":\"loom://assistant.alice@node.test\",\"key_id\":\"k_sign_agent_1\","
                + "\"type\":\"agent\",\"delegation_chain\":[{\"id\":\"dlg_01ARZ3NDEKTSV4RRFFQ69G5FD9\"}]}"));

        Sender from = EnvelopeValidator.parse(sent).from();

        assertThat(from.isAgent()).isTrue();
        assertThat(from.identity().isAgentScoped()).isTrue();
        assertThat(from.displayName()).isEmpty();
        assertThat(from.delegationChain()).isEqualTo(parse("[{\"id\":\"dlg_01ARZ3NDEKTSV4RRFFQ69G5FD9\"}]"));
    }

    @Test
    void readsAThreadOperation() {
        ObjectNode sent = digestEnvelope();
        sent.put("type", "thread_op");
        sent.set("content", parse("{\"structured\":{\"intent\":\"thread.resolve@v1\","
                + "\"parameters\":{\"capability_token\":\"cap_01ARZ3NDEKTSV4RRFFQ69G5FAV\"}}}"));

        Envelope envelope = EnvelopeValidator.parse(sent);

        assertThat(envelope.isThreadOp()).isTrue();
        assertThat(envelope.coreType()).contains(EnvelopeType.THREAD_OP);
        assertThat(envelope.intent()).contains("thread.resolve@v1");
        assertThat(envelope.parameters().get("capability_token").stringValue())
                .isEqualTo("cap_01ARZ3NDEKTSV4RRFFQ69G5FAV");
    }

    @Test
    void reportsEncryptedContentAndNoParametersWhenThereAreNone() {
        ObjectNode sent = digestEnvelope();
        sent.set("content", parse("{\"encrypted\":true,\"profile\":\"loom-e2ee-1\",\"epoch\":0,\"ciphertext\":\"x\"}"));

        Envelope envelope = EnvelopeValidator.parse(sent);

        assertThat(envelope.encrypted()).isTrue();
        assertThat(envelope.intent()).isEmpty();
        assertThat(envelope.parameters().isMissingNode()).isTrue();
    }

    @Test
    void keepsUnknownTypesAsSent() {
        ObjectNode sent = digestEnvelope();
        sent.put("type", "x.custom_kind");

        Envelope envelope = EnvelopeValidator.parse(sent);

        assertThat(envelope.type()).isEqualTo("x.custom_kind");
        assertThat(envelope.coreType()).isEmpty();
    }

    @Test
    void envelopesWithTheSameJsonAreEqual() {
        assertThat(EnvelopeValidator.parse(digestEnvelope())).isEqualTo(EnvelopeValidator.parse(digestEnvelope()))
                .hasSameHashCodeAs(EnvelopeValidator.parse(digestEnvelope()));
    }

    private static List<String> names(JsonNode object) {
        return new ArrayList<>(object.propertyNames());
    }
}
