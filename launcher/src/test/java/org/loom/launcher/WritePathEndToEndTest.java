package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.time.Timestamps;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole node as a user meets it: two people register, prove their keys, one starts a thread, the other
 * replies, both read it back in canonical order — and after a restart on the same data directory it is all still
 * there.
 */
class WritePathEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    @Test
    void conversationSurvivesARestartOfTheNode() throws Exception {
        EmbeddedNodeSettings settings = EmbeddedNodeSettings.fromEnvironment(Map.of(
                "LOOM_DATA_DIR", dataDir.toString(),
                "PORT", "0"));
        Person alice = new Person("loom://alice@node.test", SigningKey.generate());
        Person bob = new Person("loom://bob@node.test", SigningKey.generate());
        String threadId = LoomIds.next(IdPrefix.THREAD);
        String firstId;
        String replyId;

        try (LoomNode node = LoomNode.start(settings)) {
            String base = node.gatewayUrl();
            assertThat(get(base, "/.well-known/loom.json", null, 200).get("domain").stringValue())
                    .isEqualTo("127.0.0.1:" + node.gatewayPort());
            register(base, alice);
            register(base, bob);
            String aliceToken = token(base, alice);
            String bobToken = token(base, bob);

            ObjectNode first = envelope(alice, threadId, null, List.of(bob.identity()), "Can you review the draft?");
            JsonNode stored = post(base, "/v1/envelopes", aliceToken, first, 201);
            firstId = stored.get("id").stringValue();
            assertThat(stored.at("/meta/event_seq").asInt()).isEqualTo(1);
            assertThat(stored.at("/meta/pending_parent").asBoolean()).isFalse();

            ObjectNode reply = envelope(bob, threadId, firstId, List.of(alice.identity()), "Yes, this afternoon.");
            replyId = post(base, "/v1/envelopes", bobToken, reply, 201).get("id").stringValue();

            assertThat(envelopeIds(get(base, "/v1/threads/" + threadId + "/envelopes", bobToken, 200)))
                    .containsExactly(firstId, replyId);
            assertThat(get(base, "/v1/threads/" + threadId, aliceToken, 200).at("/participants/0/identity")
                    .stringValue()).isEqualTo(alice.identity());

            // The same envelope again is a duplicate, decided by the envelope-service and answered by the gateway.
            assertThat(post(base, "/v1/envelopes", aliceToken, first, 409).at("/error/code").stringValue())
                    .isEqualTo("ENVELOPE_DUPLICATE");
        }

        try (LoomNode node = LoomNode.start(settings)) {
            String base = node.gatewayUrl();
            String aliceToken = token(base, alice);
            assertThat(envelopeIds(get(base, "/v1/threads/" + threadId + "/envelopes", aliceToken, 200)))
                    .containsExactly(firstId, replyId);
            assertThat(get(base, "/v1/envelopes/" + replyId, aliceToken, 200).get("parent_id").stringValue())
                    .isEqualTo(firstId);
            assertThat(get(base, "/v1/identity/" + URLEncoder.encode(bob.identity(), StandardCharsets.UTF_8), null,
                    200).get("id").stringValue()).isEqualTo(bob.identity());
        }
    }

    private record Person(String identity, SigningKey key) {
        String keyId() {
            return "k_sign_1";
        }
    }

    private static void register(String base, Person person) throws Exception {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("id", person.identity()).put("type", "human").put("display_name", person.identity());
        body.putArray("signing_keys").addObject()
                .put("key_id", person.keyId())
                .put("public_key_pem", person.key().verifyingKey().toSpkiPem());
        post(base, "/v1/identity", null, body, 201);
    }

    private static String token(String base, Person person) throws Exception {
        ObjectNode ask = LoomJson.mapper().createObjectNode()
                .put("identity", person.identity()).put("key_id", person.keyId());
        JsonNode challenge = post(base, "/v1/auth/challenge", null, ask, 200);
        ObjectNode proof = LoomJson.mapper().createObjectNode()
                .put("identity", person.identity())
                .put("key_id", person.keyId())
                .put("challenge_id", challenge.get("challenge_id").stringValue())
                .put("signature", person.key().sign(challenge.get("nonce").stringValue()).base64Url());
        return post(base, "/v1/auth/token", null, proof, 200).get("access_token").stringValue();
    }

    private static ObjectNode envelope(Person from, String threadId, String parentId, List<String> to, String text) {
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

    private static List<String> envelopeIds(JsonNode thread) {
        return thread.get("envelopes").valueStream().map(envelope -> envelope.get("id").stringValue()).toList();
    }

    private static JsonNode post(String base, String path, String token, JsonNode body, int expectedStatus)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(LoomJson.writeBytes(body)));
        return send(request, token, expectedStatus);
    }

    private static JsonNode get(String base, String path, String token, int expectedStatus) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET(), token,
                expectedStatus);
    }

    private static JsonNode send(HttpRequest.Builder request, String token, int expectedStatus) throws Exception {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return LoomJson.parse(response.body());
    }
}
