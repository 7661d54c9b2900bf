package org.loom.node.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loom.gateway.admin.AdminToken;
import org.loom.node.attack.AttackNode.Account;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.testsupport.client.NodeAnswer;
import org.loom.testsupport.client.NodeClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Making the node call its own network, through the public gateway of a real node with the default outbound rules:
 * node bootstrap and webhook URLs that are, or resolve to, loopback, private, link-local or cloud metadata addresses.
 * A local server stands in for an internal service and counts every request that reaches it. Bootstrap is the
 * administrator's route, so these URLs are sent with the admin token: even the operator cannot aim the node inward.
 */
class SsrfAttacksTest {

    private static final Map<String, String> AS_ADMIN = Map.of(AdminToken.HEADER, AttackNode.ADMIN_TOKEN);

    private static AttackNode node;
    private static NodeClient client;
    private static Account mallory;
    private static InternalServiceStandIn internal;

    @BeforeAll
    static void startNode() throws Exception {
        internal = InternalServiceStandIn.start();
        node = AttackNode.start(Map.of());
        client = node.client();
        mallory = node.enrol("loom://mallory@node.test");
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
        if (internal != null) {
            internal.close();
        }
    }

    private static List<String> internalTargets(String scheme) {
        int port = internal.port();
        return List.of(
                scheme + "://127.0.0.1:" + port + "/.well-known/loom.json",
                scheme + "://localhost:" + port + "/.well-known/loom.json",
                scheme + "://127.1:" + port + "/",
                scheme + "://[::1]:" + port + "/",
                scheme + "://[::ffff:127.0.0.1]:" + port + "/",
                scheme + "://0.0.0.0:" + port + "/",
                scheme + "://10.0.0.1/",
                scheme + "://172.16.0.1/",
                scheme + "://192.168.1.1/",
                scheme + "://100.64.0.1/",
                scheme + "://169.254.169.254/latest/meta-data/",
                scheme + "://[fe80::1]/",
                scheme + "://[fd00::1]/");
    }

    @Test
    void bootstrapFromLoopbackPrivateLinkLocalAndMetadataAddressesIsRefused() {
        for (String scheme : List.of("https", "http")) {
            for (String url : internalTargets(scheme)) {
                ObjectNode body = LoomJson.mapper().createObjectNode()
                        .put("node_document_url", url).put("allow_insecure_http", true).put("timeout_ms", 2000);
                NodeAnswer answer = client.post("/v1/federation/nodes/bootstrap", null, body, AS_ADMIN);
                assertThat(answer.status()).as(url + " " + answer.raw()).isEqualTo(400);
                assertThat(answer.errorCode()).isEqualTo("ENVELOPE_INVALID");
            }
        }
        assertThat(internal.hits()).isZero();
        assertThat(LoomJson.write(client.get("/v1/federation/nodes", mallory.token()).expect(200)))
                .doesNotContain(InternalServiceStandIn.NODE_ID);
    }

    @Test
    void bootstrapByDomainNameResolvingToLoopbackIsRefused() {
        ObjectNode body = LoomJson.mapper().createObjectNode().put("domain", "localhost");
        NodeAnswer answer = client.post("/v1/federation/nodes/bootstrap", null, body, AS_ADMIN);
        assertThat(answer.status()).as(answer.raw()).isEqualTo(400);
        assertThat(internal.hits()).isZero();
    }

    @Test
    void webhookToAnInternalAddressIsNeverCalled() {
        int port = internal.port();
        for (String url : List.of("http://127.0.0.1:" + port + "/hook", "http://localhost:" + port + "/hook",
                "http://169.254.169.254/latest/meta-data/")) {
            ObjectNode registration = LoomJson.mapper().createObjectNode().put("url", url).put("max_attempts", 1)
                    .put("timeout_ms", 1000);
            registration.putArray("events").add("envelope.accepted");
            JsonNode webhook = client.post("/v1/webhooks", null, registration, AS_ADMIN).expect(201);
            String webhookId = webhook.get("id").stringValue();

            client.submit(mallory.token(), NodeClient.message(mallory.person(), LoomIds.next(IdPrefix.THREAD), null,
                    List.of("loom://victim@node.test"), "trigger"), Duration.ofSeconds(30)).expect(201);

            JsonNode item = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                client.post("/v1/webhooks/outbox/process", null, LoomJson.mapper().createObjectNode(), AS_ADMIN);
                JsonNode items = client.send(client.request("/v1/webhooks/outbox?webhook_id=" + webhookId, null,
                        AS_ADMIN).GET()).body().path("outbox");
                return items.isEmpty() ? null : items.get(0);
            }, found -> found != null && found.path("status").stringValue().equals("failed"));
            assertThat(item.path("last_error").stringValue()).as(url).contains("private or loopback");
            client.send(client.request("/v1/webhooks/" + webhookId, null, AS_ADMIN).DELETE()).expect(200);
        }
        assertThat(internal.hits()).isZero();
    }
}
