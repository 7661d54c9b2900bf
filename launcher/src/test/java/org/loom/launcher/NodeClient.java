package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A client of a running node's public API, as people use it: registration, proof of key, envelopes, reads. */
final class NodeClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    NodeClient(String base) {
        this.base = base;
    }

    /** Someone with an identity and one signing key. */
    record Person(String identity, SigningKey key) {

        Person(String identity) {
            this(identity, SigningKey.generate());
        }

        String keyId() {
            return "k_sign_1";
        }
    }

    void register(Person person) throws Exception {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("id", person.identity()).put("type", "human").put("display_name", person.identity());
        body.putArray("signing_keys").addObject()
                .put("key_id", person.keyId())
                .put("public_key_pem", person.key().verifyingKey().toSpkiPem());
        post("/v1/identity", null, body, 201);
    }

    /** An access token obtained by proving the person's key. */
    String token(Person person) throws Exception {
        ObjectNode ask = LoomJson.mapper().createObjectNode()
                .put("identity", person.identity()).put("key_id", person.keyId());
        JsonNode challenge = post("/v1/auth/challenge", null, ask, 200);
        ObjectNode proof = LoomJson.mapper().createObjectNode()
                .put("identity", person.identity())
                .put("key_id", person.keyId())
                .put("challenge_id", challenge.get("challenge_id").stringValue())
                .put("signature", person.key().sign(challenge.get("nonce").stringValue()).base64Url());
        return post("/v1/auth/token", null, proof, 200).get("access_token").stringValue();
    }

    /** A signed message envelope with every recipient as {@code primary}. */
    static ObjectNode envelope(Person from, String threadId, String parentId, List<String> to, String text) {
        ObjectNode envelope = unsigned(from, threadId, parentId, text);
        to.forEach(recipient -> envelope.withArray("to").addObject()
                .put("identity", recipient).put("role", "primary"));
        return sign(envelope, from);
    }

    /** A message envelope without recipients or signature, to complete and then {@link #sign}. */
    static ObjectNode unsigned(Person from, String threadId, String parentId, String text) {
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
        envelope.putArray("to");
        envelope.put("created_at", Timestamps.format(Instant.now()));
        ObjectNode content = envelope.putObject("content");
        content.putObject("human").put("text", text).put("format", "plaintext");
        content.put("encrypted", false);
        return envelope;
    }

    static ObjectNode sign(ObjectNode envelope, Person from) {
        return EnvelopeSignatures.sign(envelope, from.key(), from.keyId());
    }

    JsonNode post(String path, String token, JsonNode body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(LoomJson.writeBytes(body)));
        return LoomJson.parse(send(request, token, Map.of(), expectedStatus).body());
    }

    /** Posts a body as it is, with its own content type, and answers the response whatever its status. */
    HttpResponse<String> postRaw(String path, String token, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String path, String token, int expectedStatus) throws Exception {
        return LoomJson.parse(get(path, token, Map.of(), expectedStatus).body());
    }

    HttpResponse<String> get(String path, String token, Map<String, String> headers, int expectedStatus)
            throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET(), token,
                headers, expectedStatus);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String token, Map<String, String> headers,
            int expectedStatus) throws Exception {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return response;
    }
}
