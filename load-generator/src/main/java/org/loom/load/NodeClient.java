package org.loom.load;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.loom.protocol.json.LoomJson;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The node's public HTTP API as the generator uses it: one {@link HttpClient} whose HTTP/1.1 connections stay open
 * between requests, shared by every worker thread, so {@code C} concurrent workers keep {@code C} keep-alive
 * connections busy.
 */
final class NodeClient {

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    NodeClient(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    URI base() {
        return base;
    }

    /** A status and body as the node sent them. */
    record Answer(int status, byte[] body) {

        JsonNode json() {
            try {
                return LoomJson.parse(body);
            } catch (RuntimeException e) {
                return LoomJson.mapper().createObjectNode();
            }
        }

        /** The protocol error code of an error answer, or {@code HTTP_<status>} when the body has none. */
        String errorCode() {
            JsonNode code = json().at("/error/code");
            return code.isString() ? code.stringValue() : "HTTP_" + status;
        }

        String text() {
            String text = new String(body, StandardCharsets.UTF_8);
            return text.length() > 500 ? text.substring(0, 500) + "…" : text;
        }
    }

    Answer post(String path, String token, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return send(request);
    }

    Answer get(String pathAndQuery, String token) throws IOException, InterruptedException {
        return send(request(pathAndQuery, token).GET());
    }

    /** {@code GET /.well-known/loom.json}, empty when the node does not serve it. */
    Optional<JsonNode> nodeDocument() {
        try {
            Answer answer = get("/.well-known/loom.json", null);
            return answer.status() == 200 ? Optional.of(answer.json()) : Optional.empty();
        } catch (IOException e) {
            throw new LoadFailure("cannot reach " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadFailure("interrupted", e);
        }
    }

    /** Registers the identity with its public key ({@code POST /v1/identity}). */
    void register(LoadIdentity identity) {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("id", identity.address()).put("type", "human").put("display_name", identity.address());
        body.putArray("signing_keys").addObject()
                .put("key_id", identity.keyId())
                .put("public_key_pem", identity.key().verifyingKey().toSpkiPem());
        expect(setup("/v1/identity", null, body), 201, "registering " + identity.address());
    }

    /** Proves the identity's key ({@code /v1/auth/challenge}, {@code /v1/auth/token}) and returns a bearer token. */
    String authenticate(LoadIdentity identity) {
        ObjectNode ask = LoomJson.mapper().createObjectNode()
                .put("identity", identity.address())
                .put("key_id", identity.keyId());
        JsonNode challenge = expect(setup("/v1/auth/challenge", null, ask), 200,
                "asking a challenge for " + identity.address());
        ObjectNode proof = LoomJson.mapper().createObjectNode()
                .put("identity", identity.address())
                .put("key_id", identity.keyId())
                .put("challenge_id", challenge.path("challenge_id").asString(""))
                .put("signature", identity.key().sign(challenge.path("nonce").asString("")).base64Url());
        return expect(setup("/v1/auth/token", null, proof), 200, "authenticating " + identity.address())
                .path("access_token").asString("");
    }

    /** A setup request that must succeed for the run to make sense. */
    Answer setup(String path, String token, JsonNode body) {
        try {
            return post(path, token, LoomJson.writeBytes(body));
        } catch (IOException e) {
            throw new LoadFailure("cannot reach " + base + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadFailure("interrupted", e);
        }
    }

    JsonNode expect(Answer answer, int status, String what) {
        if (answer.status() == status) {
            return answer.json();
        }
        String advice = answer.status() == 429
                ? " (the node's rate limit: run it with LOOM_RATE_LIMIT_SENSITIVE_MAX=0, see docs/benchmarks.md)"
                : "";
        throw new LoadFailure(what + " on " + base + " answered " + answer.status() + advice + ": " + answer.text());
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String pathAndQuery, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), response.body());
    }
}
