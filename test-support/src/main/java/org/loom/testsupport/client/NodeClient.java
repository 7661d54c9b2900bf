package org.loom.testsupport.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.time.Timestamps;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A LOOM client over plain HTTP, as an outside program would talk to a node: registers identities, proves keys for
 * tokens, signs and posts envelopes, reads. Tests of a running node (in-process, a child process, separate JVMs) share
 * it so each states only what it proves.
 */
public final class NodeClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final String baseUrl;

    /** A client of the node at {@code baseUrl}, e.g. {@code http://127.0.0.1:8787}. */
    public NodeClient(String baseUrl) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Registers the identity with its one key; expects {@code 201}. */
    public JsonNode register(TestIdentity identity) {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("id", identity.identity()).put("type", "human").put("display_name", identity.identity());
        body.putArray("signing_keys").addObject()
                .put("key_id", identity.keyId())
                .put("public_key_pem", identity.key().verifyingKey().toSpkiPem());
        return post("/v1/identity", null, body).expect(201);
    }

    /** Runs the challenge / signed nonce exchange and returns the access token. */
    public String token(TestIdentity identity) {
        ObjectNode ask = LoomJson.mapper().createObjectNode()
                .put("identity", identity.identity()).put("key_id", identity.keyId());
        JsonNode challenge = post("/v1/auth/challenge", null, ask).expect(200);
        ObjectNode proof = LoomJson.mapper().createObjectNode()
                .put("identity", identity.identity())
                .put("key_id", identity.keyId())
                .put("challenge_id", challenge.get("challenge_id").stringValue())
                .put("signature", identity.key().sign(challenge.get("nonce").stringValue()).base64Url());
        return post("/v1/auth/token", null, proof).expect(200).get("access_token").stringValue();
    }

    /** A signed plain-text message from {@code from} to {@code to} in {@code threadId}, with a new envelope id. */
    public static ObjectNode message(TestIdentity from, String threadId, String parentId, List<String> to,
                                     String text) {
        ObjectNode envelope = LoomJson.mapper().createObjectNode();
        envelope.put("loom", "1.1")
                .put("id", LoomIds.next(IdPrefix.ENVELOPE))
                .put("thread_id", threadId)
                .put("parent_id", parentId)
                .put("type", "message");
        envelope.putObject("from")
                .put("identity", from.identity())
                .put("key_id", from.keyId())
                .put("type", "human");
        to.forEach(recipient -> envelope.withArray("to").addObject()
                .put("identity", recipient).put("role", "primary"));
        envelope.put("created_at", Timestamps.format(Instant.now()));
        ObjectNode content = envelope.putObject("content");
        content.putObject("human").put("text", text).put("format", "plaintext");
        content.put("encrypted", false);
        return EnvelopeSignatures.sign(envelope, from.key(), from.keyId());
    }

    /**
     * Posts an envelope as a careful client does: with an {@code Idempotency-Key}, retrying with the same key and bytes
     * while the node answers {@code 503 DECISION_PENDING} (its decision is late), until {@code patience} runs out.
     *
     * @return the first answer that is not a late decision, or the last late one
     */
    public NodeAnswer submit(String token, JsonNode envelope, Duration patience) {
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            NodeAnswer answer = post("/v1/envelopes", token, envelope, key);
            if (answer.status() != 503 || !"DECISION_PENDING".equals(answer.errorCode())
                    || System.nanoTime() > deadline) {
                return answer;
            }
            long retryAfterMs = answer.body().at("/error/details/retry_after_ms").asLong(1000);
            try {
                Thread.sleep(Math.max(100, retryAfterMs));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** The ids of a {@code GET /v1/threads/{id}/envelopes} answer, in the order given. */
    public static List<String> envelopeIds(JsonNode threadEnvelopes) {
        return threadEnvelopes.get("envelopes").valueStream().map(envelope -> envelope.get("id").stringValue())
                .toList();
    }

    /** The path of an identity document, the address percent-encoded as one segment. */
    public static String identityPath(String identity) {
        return "/v1/identity/" + URLEncoder.encode(identity, StandardCharsets.UTF_8);
    }

    public NodeAnswer post(String path, String token, JsonNode body) {
        return post(path, token, body, Map.of());
    }

    public NodeAnswer post(String path, String token, JsonNode body, Map<String, String> headers) {
        return send(request(path, token, headers)
                .POST(HttpRequest.BodyPublishers.ofByteArray(LoomJson.writeBytes(body))));
    }

    public NodeAnswer get(String path, String token) {
        return send(request(path, token, Map.of()).GET());
    }

    /**
     * Sends a prepared request with the node's base URL already applied; throws {@link UncheckedIOException} when the
     * node cannot be reached, so callers that expect outages can tell the two apart.
     */
    public NodeAnswer send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        JsonNode body;
        try {
            body = response.body().isBlank() ? NullNode.getInstance() : LoomJson.parse(response.body());
        } catch (RuntimeException e) {
            // Not JSON (a favicon, a proxy's error page): callers look at raw.
            body = NullNode.getInstance();
        }
        return new NodeAnswer(response.statusCode(), body, response.body(), response.headers());
    }

    /** A request builder for {@code path} on this node, with the bearer token and headers given. */
    public HttpRequest.Builder request(String path, String token, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return request;
    }
}
