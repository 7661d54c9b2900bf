package org.loom.protocol.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.loom.protocol.envelope.EnvelopeValidatorTest.digestEnvelope;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class BccSplitTest {

    private static final String ALICE = "loom://alice@node.test";
    private static final String BOB = "loom://bob@node.test";
    private static final String CAROL = "loom://carol@node.test";
    private static final String DAN = "loom://dan@node.test";

    @Test
    void envelopeWithoutBccIsNotSplit() {
        assertThat(BccSplit.of(EnvelopeValidator.parse(digestEnvelope()), () -> "env_x")).isEmpty();
    }

    @Test
    void visibleEnvelopeNamesNoBccRecipientAndEachBccRecipientGetsACustomAudienceCopy() {
        ObjectNode sent = digestEnvelope();
        ArrayNode to = sent.putArray("to");
        to.addObject().put("identity", BOB).put("role", "primary");
        to.addObject().put("identity", CAROL).put("role", "bcc");
        to.addObject().put("identity", DAN).put("role", "bcc");
        Envelope envelope = EnvelopeValidator.parse(sent);
        AtomicInteger ids = new AtomicInteger();

        BccSplit split = BccSplit.of(envelope, () -> "env_copy" + ids.incrementAndGet()).orElseThrow();

        String visible = LoomJson.write(split.visible());
        assertThat(visible).doesNotContain(CAROL).doesNotContain(DAN);
        assertThat(split.visible().get("id").stringValue()).isEqualTo(envelope.id());
        assertThat(split.visible().has("signature")).isFalse();
        assertThat(split.visible().at("/meta/node_derived/reason").stringValue()).isEqualTo(BccSplit.REDACTED);

        assertThat(split.copies()).extracting(BccSplit.BccCopy::recipient).containsExactly(CAROL, DAN);
        BccSplit.BccCopy carol = split.copies().get(0);
        String copyText = LoomJson.write(carol.json());
        assertThat(copyText).doesNotContain(DAN);
        assertThat(LoomJson.write(carol.json().get("to"))).isEqualTo("[{\"identity\":\"" + BOB
                + "\",\"role\":\"primary\"},{\"identity\":\"" + CAROL + "\",\"role\":\"bcc\"}]");
        assertThat(carol.id()).isEqualTo("env_copy1");
        assertThat(carol.json().get("thread_id")).isEqualTo(sent.get("thread_id"));
        assertThat(carol.json().get("parent_id")).isEqualTo(sent.get("parent_id"));
        assertThat(carol.json().at("/audience/mode").stringValue()).isEqualTo("custom");
        List<String> audience = new ArrayList<>();
        carol.json().at("/audience/identities").forEach(node -> audience.add(node.stringValue()));
        assertThat(audience).containsExactly(ALICE, CAROL);
        assertThat(carol.json().at("/references/linked_envelopes/0").stringValue()).isEqualTo(envelope.id());
        assertThat(carol.json().at("/meta/node_derived/source_envelope_id").stringValue()).isEqualTo(envelope.id());
        assertThat(carol.json().has("signature")).isFalse();
    }

    @Test
    void recipientsAudienceIsTheSenderAndTheOpenRecipients() {
        ObjectNode sent = digestEnvelope();
        ArrayNode to = sent.putArray("to");
        to.addObject().put("identity", BOB).put("role", "primary");
        to.addObject().put("identity", CAROL).put("role", "bcc");
        sent.putObject("audience").put("mode", "recipients");

        assertThat(EnvelopeAudience.restrictedReaders(EnvelopeValidator.parse(sent)))
                .hasValueSatisfying(readers -> assertThat(readers).containsExactly(ALICE, BOB));
    }

}
