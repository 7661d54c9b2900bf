package org.loom.system;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.testsupport.TestInfrastructure;
import org.loom.testsupport.client.NodeClient;
import org.loom.testsupport.client.TestIdentity;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The five services as separate JVMs, each started with the environment {@code docker-compose.yml} gives it, serve the
 * node through the gateway: what compose deploys is what works. Further end-to-end checks of a split node (webhooks,
 * email) belong in this class and get the same running node as a parameter.
 *
 * <p>Federation needs a second node: a node refuses federated envelopes from its own identities, and never federates an
 * envelope to recipients of its own domain, so a node cannot federate to itself. The second split node has its own
 * broker (topic names are fixed) and its own schemas.
 */
@ExtendWith(SharedSplitNode.class)
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class SplitModeTest {

    /** How long a write may stay undecided: the first commands also wait for the services' consumer groups. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    /** Registering a federation node is the administrator's. */
    private static final Map<String, String> AS_ADMIN = Map.of("x-loom-admin-token", SharedSplitNode.ADMIN_TOKEN);

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

    @Test
    void envelopeToAnotherSplitNodeGoesThroughTheFederationOutboxAndArrivesInTheRecipientsThread(SplitNode node) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String remoteDomain = "split-b" + run + ".test";
        Map<String, String> remoteEnvironment = new HashMap<>(SharedSplitNode.TEST_OVERRIDES);
        remoteEnvironment.putAll(Map.of(
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", TestInfrastructure.get().startSeparateKafka(),
                "LOOM_NODE_ID", remoteDomain,
                "LOOM_DOMAIN", remoteDomain,
                // The remote node works its federation outbox on its own, retrying quickly.
                "LOOM_OUTBOX_AUTO_PROCESS_INTERVAL_MS", "300",
                "LOOM_FEDERATION_OUTBOX_BASE_BACKOFF_MS", "300",
                "LOOM_FEDERATION_OUTBOX_MAX_BACKOFF_MS", "1000",
                "LOOM_FEDERATION_OUTBOX_JITTER_RATIO", "0"));
        try (SplitNode remote = SplitNode.start(remoteEnvironment)) {
            NodeClient here = new NodeClient(node.gatewayUrl());
            NodeClient there = new NodeClient(remote.gatewayUrl());
            TestIdentity bob = TestIdentity.generate("loom://bob" + run + "@split.test");
            TestIdentity carol = TestIdentity.generate("loom://carol" + run + "@" + remoteDomain);
            here.register(bob);
            there.register(carol);
            String bobToken = here.token(bob);
            String carolToken = there.token(carol);

            // Each node is told about the other, with the key the other was given as a secret.
            String localNodeId = node.environment("federation-service").get("LOOM_NODE_ID");
            there.post("/v1/federation/nodes", null, registration(localNodeId, "split.test", node), AS_ADMIN)
                    .expect(201);
            here.post("/v1/federation/nodes", null, registration(remoteDomain, remoteDomain, remote), AS_ADMIN)
                    .expect(201);

            String threadId = LoomIds.next(IdPrefix.THREAD);
            ObjectNode sent = NodeClient.message(carol, threadId, null, List.of(bob.identity()), "Across nodes");
            String id = there.submit(carolToken, sent, PATIENCE).expect(201).get("id").stringValue();

            JsonNode delivered = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(300)).until(() ->
                    there.get("/v1/federation/outbox?recipient_node=" + localNodeId, carolToken).expect(200)
                            .get("outbox").valueStream()
                            .filter(item -> item.path("envelope_ids").toString().contains(id)).findFirst(),
                    item -> item.isPresent() && "delivered".equals(item.get().get("status").stringValue()))
                    .orElseThrow();
            assertThat(delivered.at("/result/accepted_envelope_ids/0").stringValue()).isEqualTo(id);
            assertThat(delivered.at("/result/receipt_verified").asBoolean()).isTrue();

            JsonNode thread = here.get("/v1/threads/" + threadId + "/envelopes", bobToken).expect(200);
            assertThat(NodeClient.envelopeIds(thread)).containsExactly(id);
            assertThat(thread.at("/envelopes/0/meta/federation/source_node").stringValue()).isEqualTo(remoteDomain);
            assertThat(here.get("/v1/threads", bobToken).expect(200).get("threads"))
                    .anySatisfy(listed -> assertThat(listed.get("id").stringValue()).isEqualTo(threadId));
        }
    }

    /** What a node's registry needs to know of a split node: its id, domain, key, and where it takes deliveries. */
    private static ObjectNode registration(String nodeId, String domain, SplitNode peer) {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("node_id", nodeId).put("domain", domain)
                .put("key_id", peer.environment("federation-service").get("LOOM_NODE_SIGNING_KEY_ID"))
                .put("public_key_pem", peer.nodeKey().verifyingKey().toSpkiPem())
                .put("deliver_url", peer.gatewayUrl() + "/v1/federation/deliver")
                .put("api_url", peer.gatewayUrl() + "/v1");
        return body;
    }
}
