package org.loom.federation.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.loom.federation.RunningFederationService;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.json.LoomJson;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Names and URLs longer than the registry stores are refused as client mistakes, never as server errors. */
class NodeRegistrationLimitsTest extends RunningFederationService {

    @LocalServerPort
    private int port;

    @Test
    void aKeyIdLongerThanTheRegistryHoldsIsRefusedNamingTheField() throws Exception {
        ObjectNode body = node("long-key.test");
        body.put("key_id", "k".repeat(256));

        HttpResponse<String> response = register(body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = LoomJson.parse(response.body()).get("error");
        assertThat(error.get("code").asString()).isEqualTo("ENVELOPE_INVALID");
        assertThat(error.at("/details/field").asString()).isEqualTo("key_id");
        assertThat(error.at("/details/max_length").asInt()).isEqualTo(255);
    }

    @Test
    void anOverlongNodeIdOrUrlIsRefusedAndAnOrdinaryOneRegisters() throws Exception {
        assertThat(register(node("n".repeat(300))).statusCode()).isEqualTo(400);
        ObjectNode longUrl = node("long-url.test");
        longUrl.put("deliver_url", "https://long-url.test/" + "p".repeat(2100) + "/federation/deliver");
        assertThat(register(longUrl).statusCode()).isEqualTo(400);

        assertThat(register(node("ordinary.test")).statusCode()).isBetween(200, 201);
    }

    private static ObjectNode node(String nodeId) {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("node_id", nodeId);
        body.put("key_id", "k1");
        body.put("public_key_pem", SigningKey.generate().verifyingKey().toSpkiPem());
        body.put("deliver_url", "https://" + nodeId.substring(0, Math.min(nodeId.length(), 60))
                + "/v1/federation/deliver");
        return body;
    }

    private HttpResponse<String> register(ObjectNode body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/federation/nodes"))
                .header("Content-Type", "application/json")
                .header("X-LOOM-Actor", "loom://operator@node.test.local")
                .header("X-LOOM-Admin", "true")
                .POST(HttpRequest.BodyPublishers.ofString(LoomJson.write(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
