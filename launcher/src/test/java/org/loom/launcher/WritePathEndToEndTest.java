package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.testsupport.client.NodeClient;
import org.loom.testsupport.client.TestIdentity;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole node as a user meets it: two people register, prove their keys, one starts a thread, the other
 * replies, both read it back in canonical order — and after a restart on the same data directory it is all still
 * there.
 */
class WritePathEndToEndTest {

    @TempDir
    Path dataDir;

    @Test
    void conversationSurvivesARestartOfTheNode() {
        EmbeddedNodeSettings settings = EmbeddedNodeSettings.fromEnvironment(Map.of(
                "LOOM_DATA_DIR", dataDir.toString(),
                "PORT", "0"));
        TestIdentity alice = TestIdentity.generate("loom://alice@node.test");
        TestIdentity bob = TestIdentity.generate("loom://bob@node.test");
        String threadId = LoomIds.next(IdPrefix.THREAD);
        String firstId;
        String replyId;

        try (LoomNode node = LoomNode.start(settings)) {
            NodeClient client = new NodeClient(node.gatewayUrl());
            assertThat(client.get("/.well-known/loom.json", null).expect(200).get("domain").stringValue())
                    .isEqualTo("127.0.0.1:" + node.gatewayPort());
            client.register(alice);
            client.register(bob);
            String aliceToken = client.token(alice);
            String bobToken = client.token(bob);

            ObjectNode first = NodeClient.message(alice, threadId, null, List.of(bob.identity()),
                    "Can you review the draft?");
            JsonNode stored = client.post("/v1/envelopes", aliceToken, first).expect(201);
            firstId = stored.get("id").stringValue();
            assertThat(stored.at("/meta/event_seq").asInt()).isEqualTo(1);
            assertThat(stored.at("/meta/pending_parent").asBoolean()).isFalse();

            ObjectNode reply = NodeClient.message(bob, threadId, firstId, List.of(alice.identity()),
                    "Yes, this afternoon.");
            replyId = client.post("/v1/envelopes", bobToken, reply).expect(201).get("id").stringValue();

            assertThat(NodeClient.envelopeIds(client.get("/v1/threads/" + threadId + "/envelopes", bobToken)
                    .expect(200))).containsExactly(firstId, replyId);
            assertThat(client.get("/v1/threads/" + threadId, aliceToken).expect(200).at("/participants/0/identity")
                    .stringValue()).isEqualTo(alice.identity());

            // The same envelope again is a duplicate, decided by the envelope-service and answered by the gateway.
            assertThat(client.post("/v1/envelopes", aliceToken, first).errorCode()).isEqualTo("ENVELOPE_DUPLICATE");
        }

        try (LoomNode node = LoomNode.start(settings)) {
            NodeClient client = new NodeClient(node.gatewayUrl());
            String aliceToken = client.token(alice);
            assertThat(NodeClient.envelopeIds(client.get("/v1/threads/" + threadId + "/envelopes", aliceToken)
                    .expect(200))).containsExactly(firstId, replyId);
            assertThat(client.get("/v1/envelopes/" + replyId, aliceToken).expect(200).get("parent_id").stringValue())
                    .isEqualTo(firstId);
            assertThat(client.get(NodeClient.identityPath(bob.identity()), null).expect(200).get("id")
                    .stringValue()).isEqualTo(bob.identity());
        }
    }
}
