package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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

/** A client of a running node's public HTTP API, for tests that drive the node as its users and operators do. */
final class OperatorClient {

    private static final String KEY_ID = "k_sign_1";

    /** An identity with its signing key and its type ({@code human} or {@code agent}). */
    record Person(String identity, SigningKey key, String type) {
        static Person named(String name) {
            return new Person("loom://" + name + "@node.test", SigningKey.generate(), "human");
        }

        static Person agent(String name) {
            return new Person("loom://" + name + "@node.test", SigningKey.generate(), "agent");
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    OperatorClient(String base) {
        this.base = base;
    }

    /** Registers the person and returns a fresh access token for them. */
    String enrol(Person person) throws Exception {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("id", person.identity()).put("type", person.type()).put("display_name", person.identity());
        body.putArray("signing_keys").addObject()
                .put("key_id", KEY_ID).put("public_key_pem", person.key().verifyingKey().toSpkiPem());
        expect(send("POST", "/v1/identity", body.toString(), Map.of()), 201);
        return token(person);
    }

    /** A fresh access token for a registered person, by signing a challenge. */
    String token(Person person) throws Exception {
        ObjectNode ask = LoomJson.mapper().createObjectNode().put("identity", person.identity()).put("key_id", KEY_ID);
        JsonNode challenge = expect(send("POST", "/v1/auth/challenge", ask.toString(), Map.of()), 200);
        ObjectNode proof = LoomJson.mapper().createObjectNode()
                .put("identity", person.identity())
                .put("key_id", KEY_ID)
                .put("challenge_id", challenge.get("challenge_id").stringValue())
                .put("signature", person.key().sign(challenge.get("nonce").stringValue()).base64Url());
        return expect(send("POST", "/v1/auth/token", proof.toString(), Map.of()), 200).get("access_token")
                .stringValue();
    }

    /** A signed message envelope from {@code from} to {@code to} in the thread. */
    static ObjectNode message(Person from, String threadId, String parentId, List<String> to, String text) {
        ObjectNode envelope = LoomJson.mapper().createObjectNode();
        envelope.put("loom", "1.1").put("id", LoomIds.next(IdPrefix.ENVELOPE)).put("thread_id", threadId)
                .put("parent_id", parentId).put("type", "message");
        envelope.putObject("from").put("identity", from.identity()).put("key_id", KEY_ID).put("type", from.type());
        to.forEach(recipient -> envelope.withArray("to").addObject().put("identity", recipient)
                .put("role", "primary"));
        envelope.put("created_at", Timestamps.format(Instant.now()));
        ObjectNode content = envelope.putObject("content");
        content.putObject("human").put("text", text).put("format", "plaintext");
        content.put("encrypted", false);
        return EnvelopeSignatures.sign(envelope, from.key(), KEY_ID);
    }

    /** The key id every person here registers its key under. */
    static String keyId() {
        return KEY_ID;
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    static Map<String, String> headers(String... namesAndValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The response's JSON body, after checking its status. */
    static JsonNode expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return LoomJson.parse(response.body());
    }
}
