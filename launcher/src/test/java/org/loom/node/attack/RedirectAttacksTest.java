package org.loom.node.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
 * A URL that passes the outbound address rules and then redirects inward. A server on {@code 127.0.0.2} stands in
 * for a public host the node may call (the node is started with that address allowed) and answers every request
 * with {@code 302} to a server on {@code 127.0.0.1} that stands in for an internal service and counts what reaches
 * it. Bootstrap even runs with private addresses allowed outright, so only the refusal to follow redirects stands
 * between the two.
 */
class RedirectAttacksTest {

    private static final Map<String, String> AS_ADMIN = Map.of(AdminToken.HEADER, AttackNode.ADMIN_TOKEN);

    private static AttackNode node;
    private static NodeClient client;
    private static Account mallory;
    private static InternalServiceStandIn internal;
    private static HttpServer redirector;
    private static final AtomicInteger redirects = new AtomicInteger();

    @BeforeAll
    static void startNode() throws Exception {
        internal = InternalServiceStandIn.start();
        redirector = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        redirector.createContext("/", exchange -> {
            redirects.incrementAndGet();
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + internal.port()
                    + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        redirector.start();
        node = AttackNode.start(Map.of(
                "LOOM_OUTBOUND_ALLOW_PRIVATE", "true",
                "LOOM_OUTBOUND_ALLOW_PRIVATE_CIDRS", "127.0.0.2/32"));
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
        if (redirector != null) {
            redirector.stop(0);
        }
    }

    private static String redirectorUrl(String path) {
        return "http://127.0.0.2:" + redirector.getAddress().getPort() + path;
    }

    @Test
    void bootstrapDoesNotFollowARedirectToAnInternalAddress() {
        int before = redirects.get();
        ObjectNode body = LoomJson.mapper().createObjectNode()
                .put("node_document_url", redirectorUrl("/.well-known/loom.json"))
                .put("allow_insecure_http", true).put("timeout_ms", 2000);
        NodeAnswer answer = client.post("/v1/federation/nodes/bootstrap", null, body, AS_ADMIN);

        assertThat(answer.status()).as(answer.raw()).isBetween(400, 599).isNotEqualTo(500);
        assertThat(redirects.get()).as("the allowed host was asked").isGreaterThan(before);
        assertThat(internal.hits()).isZero();
        assertThat(LoomJson.write(client.get("/v1/federation/nodes", mallory.token()).expect(200)))
                .doesNotContain(InternalServiceStandIn.NODE_ID);
    }

    @Test
    void webhookDeliveryDoesNotFollowARedirectToAnInternalAddress() {
        int before = redirects.get();
        ObjectNode registration = LoomJson.mapper().createObjectNode().put("url", redirectorUrl("/hook"))
                .put("max_attempts", 1).put("timeout_ms", 1000);
        registration.putArray("events").add("envelope.accepted");
        String webhookId = client.post("/v1/webhooks", null, registration, AS_ADMIN).expect(201).get("id")
                .stringValue();

        client.submit(mallory.token(), NodeClient.message(mallory.person(), LoomIds.next(IdPrefix.THREAD), null,
                List.of("loom://victim@node.test"), "trigger"), Duration.ofSeconds(30)).expect(201);

        JsonNode item = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            client.post("/v1/webhooks/outbox/process", null, LoomJson.mapper().createObjectNode(), AS_ADMIN);
            JsonNode items = client.send(client.request("/v1/webhooks/outbox?webhook_id=" + webhookId, null,
                    AS_ADMIN).GET()).body().path("outbox");
            return items.isEmpty() ? null : items.get(0);
        }, found -> found != null && found.path("status").stringValue().equals("failed"));

        assertThat(redirects.get()).as("the allowed host was called").isGreaterThan(before);
        assertThat(item.path("last_error").stringValue()).contains("302");
        assertThat(internal.hits()).isZero();
    }
}
