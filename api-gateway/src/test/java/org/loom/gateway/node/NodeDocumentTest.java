package org.loom.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.loom.gateway.RunningGateway;
import org.loom.gateway.auth.GatewayHttp;
import org.loom.gateway.auth.GatewayHttp.Reply;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.time.Timestamps;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

class NodeDocumentTest extends RunningGateway {

    /** The reference node's fields in its order, with this node's two additions in place. */
    static final List<String> TOP_LEVEL_FIELDS = List.of("loom_version", "node_id", "domain", "api_url",
            "websocket_url", "deliver_url", "federation", "auth_endpoints", "supported_versions", "supported_profiles",
            "auth", "generated_at", "request_id");
    static final List<String> FEDERATION_FIELDS = List.of("signing_key_id", "public_key_pem", "signing_keys",
            "outbox_url", "challenge_url", "policy");

    @LocalServerPort
    private int port;

    @Test
    void advertisesHttpsUrlsOfTheDefaultDomainInTheReferenceFieldOrder() {
        Instant before = Instant.now().minusMillis(1);

        Reply reply = new GatewayHttp(port).get("/.well-known/loom.json");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.isJsonUtf8()).as(reply.contentType()).isTrue();
        JsonNode document = reply.body();
        assertThat(reply.fieldNames()).containsExactlyElementsOf(TOP_LEVEL_FIELDS);
        assertThat(document.get("loom_version").asString()).isEqualTo("1.1");
        assertThat(document.get("node_id").asString()).isEqualTo("loom-node.local");
        assertThat(document.get("domain").asString()).isEqualTo("127.0.0.1:8787");
        assertThat(document.get("api_url").asString()).isEqualTo("https://127.0.0.1:8787/v1");
        assertThat(document.get("websocket_url").asString()).isEqualTo("wss://127.0.0.1:8787/ws");
        assertThat(document.get("deliver_url").asString()).isEqualTo("https://127.0.0.1:8787/v1/federation/deliver");

        JsonNode federation = document.get("federation");
        assertThat(new ArrayList<>(federation.propertyNames())).containsExactlyElementsOf(FEDERATION_FIELDS);
        assertThat(federation.get("signing_key_id").asString()).isEqualTo("k_node_sign_local_1");
        String publicKeyPem = federation.get("public_key_pem").asString();
        assertThat(publicKeyPem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(VerifyingKey.fromSpkiPem(publicKeyPem).toSpkiPem()).isEqualTo(publicKeyPem);
        assertThat(federation.get("signing_keys").size()).isEqualTo(1);
        assertThat(new ArrayList<>(federation.get("signing_keys").get(0).propertyNames()))
                .containsExactly("key_id", "public_key_pem");
        assertThat(federation.get("signing_keys").get(0).get("key_id").asString()).isEqualTo("k_node_sign_local_1");
        assertThat(federation.get("signing_keys").get(0).get("public_key_pem").asString()).isEqualTo(publicKeyPem);
        assertThat(federation.get("outbox_url").asString())
                .isEqualTo("https://127.0.0.1:8787/v1/federation/outbox");
        assertThat(federation.get("challenge_url").asString())
                .isEqualTo("https://127.0.0.1:8787/v1/federation/challenge");
        assertThat(federation.get("policy").get("mode").asString()).isEqualTo("allowlist");
        assertThat(federation.get("policy").get("request_signature").asString()).isEqualTo("LOOM-HTTP-SIG-1");

        JsonNode auth = document.get("auth_endpoints");
        assertThat(new ArrayList<>(auth.propertyNames())).containsExactly("challenge", "token", "refresh");
        assertThat(auth.get("challenge").asString()).isEqualTo("https://127.0.0.1:8787/v1/auth/challenge");
        assertThat(auth.get("token").asString()).isEqualTo("https://127.0.0.1:8787/v1/auth/token");
        assertThat(auth.get("refresh").asString()).isEqualTo("https://127.0.0.1:8787/v1/auth/refresh");
        assertThat(document.get("supported_versions").get(0).asString()).isEqualTo("1.1");
        assertThat(document.get("supported_versions").size()).isEqualTo(1);
        assertThat(document.get("supported_profiles").get(0).asString()).isEqualTo("loom-core-1");
        assertThat(document.get("auth").get("proof_of_key").asBoolean()).isTrue();
        String generatedAt = document.get("generated_at").asString();
        assertThat(generatedAt).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(Timestamps.parse(generatedAt).orElseThrow()).isBetween(before, Instant.now());
        assertThat(UUID.fromString(document.get("request_id").asString()).version()).isEqualTo(4);
    }

    @Test
    void servesTheSameKeyOnEveryRequest() {
        GatewayHttp http = new GatewayHttp(port);

        JsonNode first = http.get("/.well-known/loom.json").body();
        JsonNode second = http.get("/.well-known/loom.json").body();

        assertThat(second.get("federation")).isEqualTo(first.get("federation"));
        assertThat(second.get("request_id")).isNotEqualTo(first.get("request_id"));
    }
}
