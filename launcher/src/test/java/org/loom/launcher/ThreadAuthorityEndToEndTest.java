package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.protocol.capability.CapabilityTokens;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.delegation.DelegationLinks;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Thread authority through the real gateway: an owner issues a capability token, its holder uses it in the
 * {@code X-LOOM-Capability} header, the owner revokes it and the revocation is in the thread; a person delegates to
 * an agent, the agent writes within the delegation, and after its revocation the agent is refused.
 */
class ThreadAuthorityEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    @Test
    void capabilitiesAndDelegationsWorkThroughTheGateway() throws Exception {
        EmbeddedNodeSettings settings = EmbeddedNodeSettings.fromEnvironment(Map.of(
                "LOOM_DATA_DIR", dataDir.toString(), "PORT", "0"));
        Person alice = new Person("loom://alice@node.test", "human", SigningKey.generate());
        Person bob = new Person("loom://bob@node.test", "human", SigningKey.generate());
        Person agent = new Person("loom://assistant.alice@node.test", "agent", SigningKey.generate());
        String threadId = LoomIds.next(IdPrefix.THREAD);

        try (LoomNode node = LoomNode.start(settings)) {
            String base = node.gatewayUrl();
            for (Person person : new Person[] {alice, bob, agent}) {
                send(base, "POST", "/v1/identity", null, person.registration(), null, 201);
            }
            String aliceToken = token(base, alice);
            String bobToken = token(base, bob);
            String agentToken = token(base, agent);
            send(base, "POST", "/v1/envelopes", aliceToken, alice.envelope(threadId, "message", null, bob), null, 201);

            // Alice lets Bob resolve the thread; the token is signed with the key the node document publishes.
            ObjectNode issue = LoomJson.mapper().createObjectNode().put("thread_id", threadId)
                    .put("issued_to", bob.identity());
            issue.putArray("grants").add("resolve");
            JsonNode issued = send(base, "POST", "/v1/capabilities", aliceToken, issue, null, 201);
            VerifyingKey nodeKey = VerifyingKey.fromPem(send(base, "GET", "/.well-known/loom.json", null, null, null,
                    200).at("/federation/public_key_pem").stringValue());
            assertThat(CapabilityTokens.verify(issued.get("token"), nodeKey)).isTrue();
            assertThat(send(base, "GET", "/v1/capabilities?thread_id=" + threadId, bobToken, null, null, 200)
                    .at("/capabilities/0/id").stringValue()).isEqualTo(issued.get("id").stringValue());

            // Bob presents it in the header and resolves; without it he is refused.
            send(base, "POST", "/v1/threads/" + threadId + "/ops", bobToken,
                    bob.envelope(threadId, "thread_op", "thread.resolve@v1", alice), null, 403);
            send(base, "POST", "/v1/threads/" + threadId + "/ops", bobToken,
                    bob.envelope(threadId, "thread_op", "thread.resolve@v1", alice), issued.get("id").stringValue(),
                    201);

            // Alice revokes it: the epoch rises, the revocation is an operation in the thread, the token is dead.
            JsonNode revoked = send(base, "DELETE", "/v1/capabilities/" + issued.get("id").stringValue(), aliceToken,
                    null, null, 200);
            assertThat(revoked.get("revoked").booleanValue()).isTrue();
            JsonNode thread = send(base, "GET", "/v1/threads/" + threadId, aliceToken, null, null, 200);
            assertThat(thread.get("cap_epoch").longValue()).isEqualTo(1);
            assertThat(thread.get("state").stringValue()).isEqualTo("resolved");
            JsonNode last = lastEnvelope(send(base, "GET", "/v1/threads/" + threadId + "/envelopes", aliceToken, null,
                    null, 200));
            assertThat(last.at("/content/structured/intent").stringValue()).isEqualTo("capability.revoked@v1");
            assertThat(EnvelopeSignatures.verify(last, nodeKey)).isTrue();
            JsonNode denied = send(base, "POST", "/v1/threads/" + threadId + "/ops", bobToken,
                    bob.envelope(threadId, "thread_op", "thread.resolve@v1", alice), issued.get("id").stringValue(),
                    403);
            assertThat(denied.at("/error/message").stringValue()).isEqualTo("Capability token not usable");

            // Alice delegates messaging to her assistant; the agent writes within it until she revokes it.
            ObjectNode link = LoomJson.mapper().createObjectNode();
            link.put("id", LoomIds.next(IdPrefix.DELEGATION)).put("delegator", alice.identity())
                    .put("delegate", agent.identity());
            link.putArray("scope").add("message.*");
            link.put("created_at", Timestamps.format(Instant.now().minusSeconds(5))).putNull("expires_at")
                    .put("revocable", true).put("allow_sub_delegation", false).put("max_sub_delegation_depth", 0)
                    .put("key_id", alice.keyId());
            ObjectNode signedLink = DelegationLinks.sign(link, alice.key());
            // The envelope-service learns identities from the gateway's change records, a moment after registration.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    status(base, "POST", "/v1/delegations", aliceToken, signedLink) == 201);
            assertThat(send(base, "GET", "/v1/delegations?role=delegate", agentToken, null, null, 200)
                    .at("/delegations/0/id").stringValue()).isEqualTo(link.get("id").stringValue());

            String agentThread = LoomIds.next(IdPrefix.THREAD);
            send(base, "POST", "/v1/envelopes", agentToken, agent.agentEnvelope(agentThread, signedLink, bob), null,
                    201);
            send(base, "DELETE", "/v1/delegations/" + link.get("id").stringValue(), aliceToken, null, null, 200);
            JsonNode refused = send(base, "POST", "/v1/envelopes", agentToken,
                    agent.agentEnvelope(agentThread, signedLink, bob), null, 403);
            assertThat(refused.at("/error/code").stringValue()).isEqualTo("DELEGATION_INVALID");
            assertThat(refused.at("/error/message").stringValue()).isEqualTo("Delegation link has been revoked");
        }
    }

    private record Person(String identity, String type, SigningKey key) {

        String keyId() {
            return "k_sign_1";
        }

        ObjectNode registration() {
            ObjectNode body = LoomJson.mapper().createObjectNode();
            body.put("id", identity).put("type", type).put("display_name", identity);
            body.putArray("signing_keys").addObject().put("key_id", keyId())
                    .put("public_key_pem", key.verifyingKey().toSpkiPem());
            return body;
        }

        ObjectNode envelope(String threadId, String envelopeType, String intent, Person to) {
            ObjectNode envelope = unsigned(threadId, envelopeType, intent, to);
            return EnvelopeSignatures.sign(envelope, key, keyId());
        }

        ObjectNode agentEnvelope(String threadId, ObjectNode link, Person to) {
            ObjectNode envelope = unsigned(threadId, "message", null, to);
            ((ObjectNode) envelope.get("from")).putArray("delegation_chain").add(link);
            return EnvelopeSignatures.sign(envelope, key, keyId());
        }

        private ObjectNode unsigned(String threadId, String envelopeType, String intent, Person to) {
            ObjectNode envelope = LoomJson.mapper().createObjectNode();
            envelope.put("loom", "1.1").put("id", LoomIds.next(IdPrefix.ENVELOPE)).put("thread_id", threadId)
                    .putNull("parent_id");
            envelope.put("type", envelopeType);
            envelope.putObject("from").put("identity", identity).put("key_id", keyId()).put("type", type);
            envelope.putArray("to").addObject().put("identity", to.identity()).put("role", "primary");
            envelope.put("created_at", Timestamps.format(Instant.now()));
            ObjectNode content = envelope.putObject("content");
            if (intent == null) {
                content.putObject("human").put("text", "Hello").put("format", "plaintext");
            } else {
                content.putObject("structured").put("intent", intent).putObject("parameters");
            }
            return envelope;
        }
    }

    private static String token(String base, Person person) throws Exception {
        ObjectNode ask = LoomJson.mapper().createObjectNode().put("identity", person.identity())
                .put("key_id", person.keyId());
        JsonNode challenge = send(base, "POST", "/v1/auth/challenge", null, ask, null, 200);
        ObjectNode proof = LoomJson.mapper().createObjectNode().put("identity", person.identity())
                .put("key_id", person.keyId())
                .put("challenge_id", challenge.get("challenge_id").stringValue())
                .put("signature", person.key().sign(challenge.get("nonce").stringValue()).base64Url());
        return send(base, "POST", "/v1/auth/token", null, proof, null, 200).get("access_token").stringValue();
    }

    private static JsonNode lastEnvelope(JsonNode thread) {
        JsonNode envelopes = thread.get("envelopes");
        return envelopes.get(envelopes.size() - 1);
    }

    private static int status(String base, String method, String path, String token, JsonNode body)
            throws Exception {
        return HTTP.send(request(base, method, path, token, body, null), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private static JsonNode send(String base, String method, String path, String token, JsonNode body,
            String capability, int expectedStatus) throws Exception {
        HttpResponse<String> response = HTTP.send(request(base, method, path, token, body, capability),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expectedStatus);
        return LoomJson.parse(response.body());
    }

    private static HttpRequest request(String base, String method, String path, String token, JsonNode body,
            String capability) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(LoomJson.writeBytes(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (capability != null) {
            request.header("X-LOOM-Capability", capability);
        }
        return request.build();
    }
}
