package org.loom.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.loom.protocol.envelope.EnvelopeValidator;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;

import tools.jackson.databind.JsonNode;

class EnvelopeFactoryTest {

    @Test
    void presignedEnvelopesAreValidAndVerifyWithTheSendersKey() {
        List<LoadIdentity> identities = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            identities.add(LoadIdentity.generate("t", i, "load.test"));
        }
        WorkloadPlan plan = WorkloadPlan.ingest(40, ShapeMix.parse("deep:50,wide:50"), 5, 5, 2, 4, new Random(2));

        byte[][] bodies = new EnvelopeFactory(identities, 120, 9).signAll(plan);

        assertThat(bodies.length).isEqualTo(40);
        for (PlannedEnvelope planned : plan.envelopes()) {
            JsonNode envelope = LoomJson.parse(bodies[planned.sequence()]);
            assertThat(EnvelopeValidator.validate(envelope)).isEmpty();
            assertThat(EnvelopeSignatures.verify(envelope, identities.get(planned.sender()).key().verifyingKey()))
                    .isTrue();
            assertThat(envelope.path("parent_id").isNull()).isEqualTo(planned.root());
            assertThat(envelope.at("/content/human/text").asString().length()).isGreaterThanOrEqualTo(120);
        }
    }

    @Test
    void theSameSeedGivesTheSameText() {
        EnvelopeFactory factory = new EnvelopeFactory(List.of(), 200, 4);

        assertThat(factory.text(17)).isEqualTo(new EnvelopeFactory(List.of(), 200, 4).text(17))
                .isNotEqualTo(factory.text(18));
    }
}
