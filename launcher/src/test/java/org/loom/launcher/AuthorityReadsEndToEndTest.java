package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.launcher.NodeClient.Person;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Who may read what, through the real gateway of an embedded node: a Bcc recipient and an outsider query every read
 * route, the node's audit chain holds the records of the gateway and the envelope-service, and the administrator can
 * verify it.
 */
class AuthorityReadsEndToEndTest {

    private static final String ADMIN_TOKEN = "admin-" + System.nanoTime();
    private static final Map<String, String> AS_ADMIN = Map.of("x-loom-admin-token", ADMIN_TOKEN);

    @TempDir
    static Path dataDir;

    private static LoomNode node;
    private static NodeClient client;
    private static final Person ALICE = new Person("loom://alice@node.test");
    private static final Person BOB = new Person("loom://bob@node.test");
    private static final Person CAROL = new Person("loom://carol@node.test");
    private static final Person EVE = new Person("loom://eve@node.test");

    @BeforeAll
    static void startNode() throws Exception {
        // The services read LOOM_ADMIN_TOKEN like any setting; a system property stands in for the variable.
        System.setProperty("LOOM_ADMIN_TOKEN", ADMIN_TOKEN);
        node = LoomNode.start(EmbeddedNodeSettings.fromEnvironment(Map.of(
                "LOOM_DATA_DIR", dataDir.toString(),
                "PORT", "0")));
        client = new NodeClient(node.gatewayUrl());
        for (Person person : List.of(ALICE, BOB, CAROL, EVE)) {
            client.register(person);
        }
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
        System.clearProperty("LOOM_ADMIN_TOKEN");
    }

    @Test
    void bccRecipientAndOutsiderQueryEveryReadRouteAndNothingLeaks() throws Exception {
        String aliceToken = client.token(ALICE);
        String bobToken = client.token(BOB);
        String carolToken = client.token(CAROL);
        String eveToken = client.token(EVE);
        String threadId = LoomIds.next(IdPrefix.THREAD);
        String term = "wombat" + System.nanoTime();

        ObjectNode sent = NodeClient.unsigned(ALICE, threadId, null, "Quarterly numbers " + term);
        sent.withArray("to").addObject().put("identity", BOB.identity()).put("role", "primary");
        sent.withArray("to").addObject().put("identity", CAROL.identity()).put("role", "bcc");
        String visibleId = client.post("/v1/envelopes", aliceToken, NodeClient.sign(sent, ALICE), 201).get("id")
                .stringValue();

        // The Bcc recipient: its copy only, and nothing that names it to others.
        JsonNode carolsThread = client.get("/v1/threads/" + threadId + "/envelopes", carolToken, 200);
        assertThat(carolsThread.get("envelopes").size()).isEqualTo(1);
        String copyId = carolsThread.at("/envelopes/0/id").stringValue();
        assertThat(copyId).isNotEqualTo(visibleId);
        assertThat(carolsThread.at("/envelopes/0/references/linked_envelopes/0").stringValue()).isEqualTo(visibleId);
        client.get("/v1/envelopes/" + visibleId, carolToken, 404);
        client.get("/v1/envelopes/" + copyId, carolToken, 200);
        assertThat(threadIds(client.get("/v1/threads", carolToken, 200))).containsExactly(threadId);
        assertThat(client.get("/v1/threads/" + threadId, carolToken, 200).at("/participants").size()).isEqualTo(2);
        JsonNode carolsSearch = client.get("/v1/search?q=" + term, carolToken, 200);
        assertThat(carolsSearch.get("total").asLong()).isEqualTo(1);
        assertThat(carolsSearch.at("/results/0/envelope_id").stringValue()).isEqualTo(copyId);
        assertThat(LoomJson.write(client.get("/v1/mailbox/threads/" + threadId, carolToken, 200).get("labels")))
                .isEqualTo("[\"sys.inbox\"]");

        // The primary recipient never learns of the Bcc recipient, on any route.
        for (String path : List.of("/v1/envelopes/" + visibleId, "/v1/threads/" + threadId,
                "/v1/threads/" + threadId + "/envelopes", "/v1/threads", "/v1/search?q=" + term, "/v1/audit")) {
            assertThat(LoomJson.write(client.get(path, bobToken, 200))).as(path).doesNotContain(CAROL.identity());
        }
        client.get("/v1/envelopes/" + copyId, bobToken, 404);

        // The outsider: nothing at all.
        client.get("/v1/envelopes/" + visibleId, eveToken, 404);
        client.get("/v1/envelopes/" + copyId, eveToken, 404);
        client.get("/v1/threads/" + threadId, eveToken, 404);
        client.get("/v1/threads/" + threadId + "/envelopes", eveToken, 404);
        client.get("/v1/mailbox/threads/" + threadId, eveToken, 404);
        assertThat(threadIds(client.get("/v1/threads", eveToken, 200))).isEmpty();
        JsonNode evesSearch = client.get("/v1/search?q=" + term, eveToken, 200);
        assertThat(evesSearch.get("total").asLong()).isZero();
        assertThat(evesSearch.get("results").size()).isZero();
        assertThat(LoomJson.write(client.get("/v1/audit?limit=1000", eveToken, 200))).doesNotContain(threadId)
                .doesNotContain(visibleId);

        // The sender still has its own signed original, Bcc recipient included.
        assertThat(LoomJson.write(client.get("/v1/envelopes/" + visibleId, aliceToken, 200)))
                .contains(CAROL.identity());
    }

    @Test
    void auditChainJoinsTheGatewayAndTheEnvelopeServiceAndVerifies() throws Exception {
        String aliceToken = client.token(ALICE);
        String threadId = LoomIds.next(IdPrefix.THREAD);
        client.post("/v1/envelopes", aliceToken,
                NodeClient.envelope(ALICE, threadId, null, List.of(BOB.identity()), "Audit me"), 201);
        // A proof of key that does not verify is a security event.
        ObjectNode ask = LoomJson.mapper().createObjectNode()
                .put("identity", EVE.identity()).put("key_id", EVE.keyId());
        JsonNode challenge = client.post("/v1/auth/challenge", null, ask, 200);
        ObjectNode forged = LoomJson.mapper().createObjectNode()
                .put("identity", EVE.identity()).put("key_id", EVE.keyId())
                .put("challenge_id", challenge.get("challenge_id").stringValue())
                .put("signature", ALICE.key().sign(challenge.get("nonce").stringValue()).base64Url());
        client.post("/v1/auth/token", null, forged, 401);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<String> actions = actions(adminAudit());
            return actions.contains("identity.register") && actions.contains("envelope.ingest")
                    && actions.contains("security.signature_failure");
        });
        JsonNode entries = adminAudit().get("entries");
        JsonNode failure = entries.valueStream()
                .filter(entry -> entry.get("action").stringValue().equals("security.signature_failure"))
                .findFirst().orElseThrow();
        assertThat(failure.toString()).contains("client_ip").contains("127.0.0.1");
        // Newest first: each entry names the hash of the one listed after it.
        for (int i = 0; i + 1 < entries.size(); i++) {
            assertThat(entries.get(i).get("prev_hash").stringValue())
                    .isEqualTo(entries.get(i + 1).get("hash").stringValue());
        }
        JsonNode verified = LoomJson.parse(client.get("/v1/audit/verify", null, AS_ADMIN, 200).body());
        assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.get("checked").asLong()).isEqualTo(verified.get("head_seq").asLong());

        // Alice sees what concerns her, not the chain of others; wrong or missing admin tokens get nothing more.
        assertThat(actions(client.get("/v1/audit", aliceToken, 200))).contains("envelope.ingest")
                .doesNotContain("security.signature_failure");
        client.get("/v1/audit/verify", aliceToken, 403);
        client.get("/v1/audit", null, Map.of("x-loom-admin-token", "wrong"), 403);
    }

    private static JsonNode adminAudit() throws Exception {
        return LoomJson.parse(client.get("/v1/audit?limit=1000", null, AS_ADMIN, 200).body());
    }

    private static List<String> actions(JsonNode audit) {
        List<String> actions = new ArrayList<>();
        audit.get("entries").forEach(entry -> actions.add(entry.get("action").stringValue()));
        return actions;
    }

    private static List<String> threadIds(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("threads").forEach(thread -> ids.add(thread.get("id").stringValue()));
        return ids;
    }
}
