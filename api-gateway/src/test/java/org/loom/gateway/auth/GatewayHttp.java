package org.loom.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.json.LoomJson;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client of a running gateway over real HTTP, with the few steps the identity and auth tests repeat: register an
 * identity, obtain tokens by signing a challenge.
 */
public final class GatewayHttp {

    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    public GatewayHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A reply: status and parsed JSON body. */
    public record Reply(int status, JsonNode body, String contentType) {

        public String errorCode() {
            return body.path("error").path("code").asString();
        }

        public String errorMessage() {
            return body.path("error").path("message").asString();
        }

        public Map<String, Object> errorDetails() {
            return LoomJson.mapper().convertValue(body.path("error").path("details"), Map.class);
        }

        /** Whether the body is labelled JSON in UTF-8, however the server spells the header. */
        public boolean isJsonUtf8() {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.equalsTypeAndSubtype(MediaType.APPLICATION_JSON)
                    && StandardCharsets.UTF_8.equals(type.getCharset());
        }

        public List<String> fieldNames() {
            return new ArrayList<>(body.propertyNames());
        }
    }

    /** A fresh identity URI, unique across test runs sharing one database schema. */
    public static String newIdentity(String name) {
        return "loom://" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@node.test";
    }

    public static ObjectNode json() {
        return LoomJson.mapper().createObjectNode();
    }

    /** The registration body for one identity with one key, in the reference node's form. */
    public static ObjectNode registration(String identity, String keyId, SigningKey key) {
        ObjectNode body = json().put("id", identity);
        body.putArray("signing_keys").addObject()
                .put("key_id", keyId)
                .put("public_key_pem", key.verifyingKey().toSpkiPem());
        return body;
    }

    public Reply register(String identity, String keyId, SigningKey key) {
        Reply reply = post("/v1/identity", registration(identity, keyId, key), null);
        assertThat(reply.status()).as("registration of %s: %s", identity, reply.body()).isEqualTo(201);
        return reply;
    }

    public Reply challenge(String identity, String keyId) {
        return post("/v1/auth/challenge", json().put("identity", identity).put("key_id", keyId), null);
    }

    /** Signs a fresh challenge with {@code key} and exchanges it; the token reply. */
    public Reply login(String identity, String keyId, SigningKey key) {
        Reply challenge = challenge(identity, keyId);
        assertThat(challenge.status()).as("challenge: %s", challenge.body()).isEqualTo(200);
        return post("/v1/auth/token", tokenRequest(identity, keyId, challenge.body().get("challenge_id").asString(),
                key.sign(challenge.body().get("nonce").asString()).base64Url()), null);
    }

    /** An access token of the identity's key. */
    public String accessToken(String identity, String keyId, SigningKey key) {
        Reply token = login(identity, keyId, key);
        assertThat(token.status()).as("token: %s", token.body()).isEqualTo(200);
        return token.body().get("access_token").asString();
    }

    public static ObjectNode tokenRequest(String identity, String keyId, String challengeId, String signature) {
        return json().put("identity", identity).put("key_id", keyId).put("challenge_id", challengeId)
                .put("signature", signature);
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), null);
    }

    public Reply post(String path, JsonNode body, String bearerToken) {
        return postRaw(path, LoomJson.write(body), bearerToken);
    }

    public Reply postRaw(String path, String body, String bearerToken) {
        return send(postRequest(path, body), bearerToken);
    }

    public Reply delete(String path, String bearerToken) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), bearerToken);
    }

    /** Sends with a literal {@code Authorization} header value. */
    public Reply postWithAuthorization(String path, JsonNode body, String authorization) {
        HttpRequest.Builder request = postRequest(path, LoomJson.write(body)).header("Authorization", authorization);
        return send(request, null);
    }

    /** Sends without waiting, for requests that must race each other. */
    public CompletableFuture<Reply> postAsync(String path, JsonNode body) {
        return client.sendAsync(postRequest(path, LoomJson.write(body)).build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(GatewayHttp::reply);
    }

    private HttpRequest.Builder postRequest(String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private Reply send(HttpRequest.Builder request, String bearerToken) {
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        try {
            return reply(client.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Reply reply(HttpResponse<String> response) {
        return new Reply(response.statusCode(), LoomJson.parse(response.body()),
                response.headers().firstValue("Content-Type").orElse(""));
    }
}
