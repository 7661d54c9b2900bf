package org.loom.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;

import org.junit.jupiter.api.Test;
import org.loom.gateway.auth.GatewayHttp;
import org.loom.gateway.auth.GatewayHttp.Reply;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

class NodeDocumentWithPublicBaseUrlTest extends TunedGateway {

    @LocalServerPort
    private int port;

    @Test
    void buildsEveryUrlOnThePublicBaseUrlAndPublishesTheConfiguredNodeKey() {
        Reply reply = new GatewayHttp(port).get("/.well-known/loom.json");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode document = reply.body();
        assertThat(reply.fieldNames()).containsExactlyElementsOf(NodeDocumentTest.TOP_LEVEL_FIELDS);
        assertThat(document.get("node_id").asString()).isEqualTo("node.test");
        assertThat(document.get("domain").asString()).isEqualTo("node.test");
        assertThat(document.get("api_url").asString()).isEqualTo("http://127.0.0.1:18787/v1");
        assertThat(document.get("websocket_url").asString()).isEqualTo("ws://127.0.0.1:18787/ws");
        assertThat(document.get("deliver_url").asString()).isEqualTo("http://127.0.0.1:18787/v1/federation/deliver");
        JsonNode federation = document.get("federation");
        assertThat(new ArrayList<>(federation.propertyNames()))
                .containsExactlyElementsOf(NodeDocumentTest.FEDERATION_FIELDS);
        assertThat(federation.get("signing_key_id").asString()).isEqualTo("k_node_sign_test_1");
        assertThat(federation.get("public_key_pem").asString()).isEqualTo(TunedGateway.NODE_PUBLIC_KEY_PEM);
        assertThat(federation.get("signing_keys").get(0).get("key_id").asString()).isEqualTo("k_node_sign_test_1");
        assertThat(federation.get("signing_keys").get(0).get("public_key_pem").asString())
                .isEqualTo(TunedGateway.NODE_PUBLIC_KEY_PEM);
        assertThat(federation.get("outbox_url").asString()).isEqualTo("http://127.0.0.1:18787/v1/federation/outbox");
        assertThat(federation.get("challenge_url").asString())
                .isEqualTo("http://127.0.0.1:18787/v1/federation/challenge");
        assertThat(document.get("auth_endpoints").get("challenge").asString())
                .isEqualTo("http://127.0.0.1:18787/v1/auth/challenge");
        assertThat(document.get("auth_endpoints").get("token").asString())
                .isEqualTo("http://127.0.0.1:18787/v1/auth/token");
        assertThat(document.get("auth_endpoints").get("refresh").asString())
                .isEqualTo("http://127.0.0.1:18787/v1/auth/refresh");
    }
}
