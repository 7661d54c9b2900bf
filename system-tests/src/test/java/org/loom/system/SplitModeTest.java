package org.loom.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.testsupport.client.NodeClient;
import org.loom.testsupport.client.TestIdentity;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The five services as separate JVMs, each started with the environment {@code docker-compose.yml} gives it, serve the
 * node through the gateway: what compose deploys is what works. Further end-to-end checks of a split node (federation
 * to itself, webhooks, email) belong in this class and get the same running node as a parameter.
 */
@ExtendWith(SharedSplitNode.class)
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class SplitModeTest {

    /** How long a write may stay undecided: the first commands also wait for the services' consumer groups. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @Test
    void everyServiceAnswersTheProbesItsDeploymentsDeclare(SplitNode node) {
        List<DeploymentFiles.Probe> probes = DeploymentFiles.read(ServiceJars.repositoryRoot()).probes();
        assertThat(probes).extracting(DeploymentFiles.Probe::module).containsAll(node.modules());
        for (DeploymentFiles.Probe probe : probes) {
            String url = "http://127.0.0.1:" + node.port(probe.module()) + probe.path();
            assertThat(new NodeClient(url).get("", null).status()).as(probe + " at " + url).isEqualTo(200);
        }
    }

    @Test
    void gatewayPublishesTheNodeKeyGivenAsASecret(SplitNode node) {
        JsonNode document = new NodeClient(node.gatewayUrl()).get("/.well-known/loom.json", null).expect(200);
        assertThat(document.at("/federation/public_key_pem").stringValue())
                .isEqualTo(node.nodeKey().verifyingKey().toSpkiPem());
    }

    @Test
    void conversationIsSentRepliedToAndReadThroughTheGateway(SplitNode node) {
        NodeClient client = new NodeClient(node.gatewayUrl());
        String run = UUID.randomUUID().toString().substring(0, 8);
        TestIdentity alice = TestIdentity.generate("loom://alice" + run + "@split.test");
        TestIdentity bob = TestIdentity.generate("loom://bob" + run + "@split.test");
        client.register(alice);
        client.register(bob);
        String aliceToken = client.token(alice);
        String bobToken = client.token(bob);
        String threadId = LoomIds.next(IdPrefix.THREAD);

        ObjectNode first = NodeClient.message(alice, threadId, null, List.of(bob.identity()), "Split mode works?");
        String firstId = client.submit(aliceToken, first, PATIENCE).expect(201).get("id").stringValue();
        ObjectNode reply = NodeClient.message(bob, threadId, firstId, List.of(alice.identity()), "It does.");
        JsonNode stored = client.submit(bobToken, reply, PATIENCE).expect(201);
        assertThat(stored.at("/meta/event_seq").asInt()).isEqualTo(2);

        assertThat(NodeClient.envelopeIds(client.get("/v1/threads/" + threadId + "/envelopes", aliceToken)
                .expect(200))).containsExactly(firstId, stored.get("id").stringValue());
        assertThat(client.get("/v1/envelopes/" + firstId, bobToken).expect(200).get("thread_id").stringValue())
                .isEqualTo(threadId);
        assertThat(client.get("/v1/threads", bobToken).expect(200).get("threads"))
                .anySatisfy(thread -> assertThat(thread.get("id").stringValue()).isEqualTo(threadId));
    }
}
