package org.loom.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.loom.gateway.auth.GatewayHttp.json;
import static org.loom.gateway.auth.GatewayHttp.newIdentity;
import static org.loom.gateway.auth.GatewayHttp.registration;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.loom.gateway.auth.GatewayHttp;
import org.loom.gateway.auth.GatewayHttp.Reply;
import org.loom.gateway.auth.UnthrottledGateway;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class IdentityRoutesTest extends UnthrottledGateway {

    @LocalServerPort
    private int port;

    @Autowired
    private DataSource dataSource;

    private GatewayHttp http;

    @BeforeEach
    void client() {
        http = new GatewayHttp(port);
    }

    @Test
    void registrationRetriedWithTheSameIdempotencyKeyGetsTheFirstAnswer() throws Exception {
        String identity = newIdentity("idem");
        ObjectNode body = registration(identity, "k1", SigningKey.generate());
        String key = "reg-" + identity;

        java.net.http.HttpResponse<String> first = postWithIdempotencyKey(body, key);
        java.net.http.HttpResponse<String> retry = postWithIdempotencyKey(body, key);
        ObjectNode other = registration(identity, "k2", SigningKey.generate());
        java.net.http.HttpResponse<String> conflicting = postWithIdempotencyKey(other, key);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue("X-LOOM-Idempotency-Replay")).isEmpty();
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.headers().firstValue("X-LOOM-Idempotency-Replay")).contains("true");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(conflicting.statusCode()).isEqualTo(409);
        assertThat(LoomJson.parse(conflicting.body()).at("/error/code").stringValue()).isEqualTo("IDEMPOTENCY_CONFLICT");
    }

    private java.net.http.HttpResponse<String> postWithIdempotencyKey(JsonNode body, String key) throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1/identity"))
                .header("Idempotency-Key", key)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(LoomJson.writeBytes(body)))
                .build();
        return java.net.http.HttpClient.newHttpClient()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void registersAnIdentityAndServesItsDocumentAtItsPercentEncodedUri() {
        String alice = newIdentity("alice");
        SigningKey key = SigningKey.generate();

        Reply created = http.register(alice, "k_sign_alice_1", key);

        assertThat(created.isJsonUtf8()).as(created.contentType()).isTrue();
        assertThat(created.fieldNames())
                .containsExactly("id", "type", "display_name", "signing_keys", "created_at", "updated_at");
        assertThat(created.body().get("id").asString()).isEqualTo(alice);
        assertThat(created.body().get("type").asString()).isEqualTo("human");
        assertThat(created.body().get("display_name").asString()).isEqualTo(alice);
        JsonNode signingKey = created.body().get("signing_keys").get(0);
        assertThat(created.body().get("signing_keys").size()).isEqualTo(1);
        assertThat(new Reply(200, signingKey, "").fieldNames()).containsExactly("key_id", "public_key_pem", "status");
        assertThat(signingKey.get("key_id").asString()).isEqualTo("k_sign_alice_1");
        assertThat(signingKey.get("public_key_pem").asString()).isEqualTo(key.verifyingKey().toSpkiPem());
        assertThat(signingKey.get("status").asString()).isEqualTo("active");
        assertThat(Timestamps.isValid(created.body().get("created_at").asString())).isTrue();
        assertThat(created.body().get("updated_at")).isEqualTo(created.body().get("created_at"));

        Reply fetched = http.get("/v1/identity/" + URLEncoder.encode(alice, StandardCharsets.UTF_8));

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(created.body());
    }

    @Test
    void registersTypeDisplayNameAndKeysInTheSpecificationsPublicKeysForm() {
        String agent = newIdentity("assistant");
        SigningKey first = SigningKey.generate();
        SigningKey second = SigningKey.generate();
        ObjectNode body = registration(agent, "k_pem", first).put("type", "agent").put("display_name", "Assistant");
        body.putObject("public_keys").putArray("signing").addObject()
                .put("algorithm", "Ed25519")
                .put("key_id", "k_raw")
                .put("public_key", second.verifyingKey().rawBase64Url());

        Reply created = http.post("/v1/identity", body, null);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("type").asString()).isEqualTo("agent");
        assertThat(created.body().get("display_name").asString()).isEqualTo("Assistant");
        assertThat(keys(created)).containsExactly(
                Map.of("key_id", "k_pem", "public_key_pem", first.verifyingKey().toSpkiPem(), "status", "active"),
                Map.of("key_id", "k_raw", "public_key_pem", second.verifyingKey().toSpkiPem(), "status", "active"));
    }

    static Stream<Arguments> invalidRegistrations() {
        String pem = SigningKey.generate().verifyingKey().toSpkiPem();
        String privatePem = SigningKey.generate().toPkcs8Pem();
        String id = "loom://valid@node.test";
        return Stream.of(
                Arguments.of("no id", "{\"signing_keys\":[{\"key_id\":\"k1\",\"public_key_pem\":" + quote(pem) + "}]}",
                        "id"),
                Arguments.of("bridge id", "{\"id\":\"bridge://alice@example.com\",\"signing_keys\":[{\"key_id\":\"k1\","
                        + "\"public_key_pem\":" + quote(pem) + "}]}", "id"),
                Arguments.of("upper-case local part", "{\"id\":\"loom://Alice@node.test\",\"signing_keys\":"
                        + "[{\"key_id\":\"k1\",\"public_key_pem\":" + quote(pem) + "}]}", "id"),
                Arguments.of("port in domain", "{\"id\":\"loom://alice@node.test:8787\",\"signing_keys\":"
                        + "[{\"key_id\":\"k1\",\"public_key_pem\":" + quote(pem) + "}]}", "id"),
                Arguments.of("unknown type", "{\"id\":\"" + id + "\",\"type\":\"robot\",\"signing_keys\":"
                        + "[{\"key_id\":\"k1\",\"public_key_pem\":" + quote(pem) + "}]}", "type"),
                Arguments.of("no keys", "{\"id\":\"" + id + "\",\"signing_keys\":[]}", "signing_keys"),
                Arguments.of("keys not an array", "{\"id\":\"" + id + "\",\"signing_keys\":{}}", "signing_keys"),
                Arguments.of("empty key id", "{\"id\":\"" + id + "\",\"signing_keys\":[{\"key_id\":\"\","
                        + "\"public_key_pem\":" + quote(pem) + "}]}", "signing_keys[0].key_id"),
                Arguments.of("not a PEM", "{\"id\":\"" + id + "\",\"signing_keys\":[{\"key_id\":\"k1\","
                        + "\"public_key_pem\":\"hello\"}]}", "signing_keys[0].public_key_pem"),
                Arguments.of("private key PEM", "{\"id\":\"" + id + "\",\"signing_keys\":[{\"key_id\":\"k1\","
                        + "\"public_key_pem\":" + quote(privatePem) + "}]}", "signing_keys[0].public_key_pem"),
                Arguments.of("duplicate key id", "{\"id\":\"" + id + "\",\"signing_keys\":[{\"key_id\":\"k1\","
                        + "\"public_key_pem\":" + quote(pem) + "},{\"key_id\":\"k1\",\"public_key_pem\":"
                        + quote(pem) + "}]}", "signing_keys[1].key_id"),
                Arguments.of("raw key of wrong length", "{\"id\":\"" + id + "\",\"public_keys\":{\"signing\":"
                        + "[{\"key_id\":\"k1\",\"public_key\":\"AAAA\"}]}}", "public_keys.signing[0].public_key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRegistrations")
    void rejectsAnInvalidRegistrationNamingTheField(String description, String body, String field) {
        Reply reply = http.postRaw("/v1/identity", body, null);

        assertThat(reply.status()).as("%s: %s", description, reply.body()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("ENVELOPE_INVALID");
        assertThat(reply.errorDetails()).isEqualTo(Map.of("field", field));
        assertThat(http.get("/v1/identity/" + URLEncoder.encode("loom://valid@node.test", StandardCharsets.UTF_8))
                .status()).isEqualTo(404);
    }

    @Test
    void malformedPercentEncodingOfTheIdentityIsABadRequest() {
        Reply reply = http.get("/v1/identity/loom%3A%2F%2Falice%40node.test%E2%28");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("ENVELOPE_INVALID");
    }

    @Test
    void unknownIdentityIsNotFoundAndMeIsNotSpecial() {
        String nobody = newIdentity("nobody");

        Reply unknown = http.get("/v1/identity/" + URLEncoder.encode(nobody, StandardCharsets.UTF_8));
        Reply me = http.get("/v1/identity/me");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("IDENTITY_NOT_FOUND");
        assertThat(unknown.errorMessage()).isEqualTo("Identity not found: " + nobody);
        assertThat(unknown.errorDetails()).isEqualTo(Map.of("identity", nobody));
        assertThat(me.status()).isEqualTo(404);
        assertThat(me.errorDetails()).isEqualTo(Map.of("identity", "me"));
    }

    @Test
    void reRegistrationWithoutTheIdentitysTokenIsRefusedAndChangesNothing() {
        String alice = newIdentity("alice");
        SigningKey key = SigningKey.generate();
        Reply original = http.register(alice, "k1", key);
        String bob = newIdentity("bob");
        SigningKey bobKey = SigningKey.generate();
        http.register(bob, "k1", bobKey);
        String bobsToken = http.accessToken(bob, "k1", bobKey);
        ObjectNode takeover = registration(alice, "k_attacker", SigningKey.generate());

        Reply anonymous = http.post("/v1/identity", takeover, null);
        Reply withBobsToken = http.post("/v1/identity", takeover, bobsToken);

        for (Reply refused : List.of(anonymous, withBobsToken)) {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.errorCode()).isEqualTo("CAPABILITY_DENIED");
            assertThat(refused.errorMessage()).isEqualTo("Identity already registered: " + alice
                    + "; updating it requires a bearer token of that identity");
            assertThat(refused.errorDetails()).isEqualTo(Map.of("identity", alice));
        }
        assertThat(document(alice).body()).isEqualTo(original.body());
        assertThat(http.challenge(alice, "k_attacker").status()).isEqualTo(401);
    }

    @Test
    void reRegistrationWithTheIdentitysTokenAddsKeysAndKeepsTheUnlistedOnes() {
        String alice = newIdentity("alice");
        SigningKey key = SigningKey.generate();
        http.register(alice, "k1", key);
        String token = http.accessToken(alice, "k1", key);
        SigningKey laptop = SigningKey.generate();
        ObjectNode update = registration(alice, "k_laptop", laptop).put("display_name", "Alice");

        Reply updated = http.post("/v1/identity", update, token);

        assertThat(updated.status()).isEqualTo(201);
        assertThat(updated.body().get("display_name").asString()).isEqualTo("Alice");
        assertThat(updated.body().get("type").asString()).isEqualTo("human");
        assertThat(keys(updated)).extracting(entry -> entry.get("key_id")).containsExactly("k1", "k_laptop");
        assertThat(http.accessToken(alice, "k_laptop", laptop)).matches("at_[0-9a-f]{32}");
        assertThat(http.post("/v1/identity", registration(alice, "k1", key), token).status())
                .as("listing a key already bound to the same key material changes nothing")
                .isEqualTo(201);
    }

    @Test
    void reRegistrationCannotChangeTheTypeOrRebindAKeyId() {
        String agent = newIdentity("agent");
        SigningKey key = SigningKey.generate();
        http.post("/v1/identity", registration(agent, "k1", key).put("type", "agent"), null);
        String token = http.accessToken(agent, "k1", key);

        Reply typeChange = http.post("/v1/identity", registration(agent, "k1", key).put("type", "human"), token);
        Reply rebind = http.post("/v1/identity", registration(agent, "k1", SigningKey.generate()), token);

        assertThat(typeChange.status()).isEqualTo(409);
        assertThat(typeChange.errorCode()).isEqualTo("STATE_TRANSITION_INVALID");
        assertThat(typeChange.errorDetails()).isEqualTo(Map.of("field", "type", "identity", agent));
        assertThat(rebind.status()).isEqualTo(409);
        assertThat(rebind.errorCode()).isEqualTo("ENVELOPE_DUPLICATE");
        assertThat(rebind.errorDetails()).isEqualTo(Map.of("field", "signing_keys[0].key_id", "key_id", "k1"));
        assertThat(document(agent).body().get("type").asString()).isEqualTo("agent");
        assertThat(keys(document(agent))).extracting(entry -> entry.get("public_key_pem"))
                .containsExactly(key.verifyingKey().toSpkiPem());
    }

    @Test
    void keyIdsBelongToTheirIdentity() {
        String alice = newIdentity("alice");
        String bob = newIdentity("bob");
        SigningKey aliceKey = SigningKey.generate();
        SigningKey bobKey = SigningKey.generate();
        http.register(alice, "k1", aliceKey);
        http.register(bob, "k1", bobKey);

        Reply bobsChallenge = http.challenge(bob, "k1");
        Reply signedByAlice = http.post("/v1/auth/token", GatewayHttp.tokenRequest(bob, "k1",
                bobsChallenge.body().get("challenge_id").asString(),
                aliceKey.sign(bobsChallenge.body().get("nonce").asString()).base64Url()), null);

        assertThat(signedByAlice.status()).isEqualTo(401);
        assertThat(signedByAlice.errorMessage()).isEqualTo("Challenge signature verification failed");
        assertThat(http.login(alice, "k1", aliceKey).body().get("identity").asString()).isEqualTo(alice);
        assertThat(http.login(bob, "k1", bobKey).body().get("identity").asString()).isEqualTo(bob);
        assertThat(keys(document(alice)).get(0).get("public_key_pem")).isEqualTo(aliceKey.verifyingKey().toSpkiPem());
        assertThat(keys(document(bob)).get(0).get("public_key_pem")).isEqualTo(bobKey.verifyingKey().toSpkiPem());
    }

    @Test
    void addedKeysSignInAndARevokedKeyStopsWorkingEverywhere() {
        String alice = newIdentity("alice");
        SigningKey oldKey = SigningKey.generate();
        http.register(alice, "k_old", oldKey);
        Reply oldTokens = http.login(alice, "k_old", oldKey);
        String oldAccess = oldTokens.body().get("access_token").asString();
        SigningKey newKey = SigningKey.generate();
        ObjectNode newKeyBody = json().put("key_id", "k_new").put("public_key_pem", newKey.verifyingKey().toSpkiPem());

        Reply added = http.post("/v1/identity/me/keys", newKeyBody, oldAccess);
        Reply duplicate = http.post("/v1/identity/me/keys", newKeyBody, oldAccess);

        assertThat(added.status()).isEqualTo(201);
        assertThat(keys(added)).extracting(entry -> entry.get("key_id")).containsExactly("k_old", "k_new");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.errorCode()).isEqualTo("ENVELOPE_DUPLICATE");
        assertThat(duplicate.errorDetails()).isEqualTo(Map.of("field", "key_id", "key_id", "k_new"));

        String newAccess = http.accessToken(alice, "k_new", newKey);
        Reply pendingChallenge = http.challenge(alice, "k_old");
        Reply revoked = http.delete("/v1/identity/me/keys/k_old", newAccess);

        assertThat(revoked.status()).isEqualTo(200);
        Map<String, Object> revokedKey = keys(revoked).get(0);
        assertThat(revokedKey).containsEntry("key_id", "k_old").containsEntry("status", "revoked");
        assertThat(revokedKey.keySet()).containsExactly("key_id", "public_key_pem", "status", "revoked_at");
        assertThat(Timestamps.isValid((String) revokedKey.get("revoked_at"))).isTrue();
        assertThat(keys(revoked).get(1)).containsEntry("status", "active");
        assertThat(document(alice).body()).isEqualTo(revoked.body());

        Reply withOldToken = http.post("/v1/identity/me/keys", json().put("key_id", "k_x")
                .put("public_key_pem", SigningKey.generate().verifyingKey().toSpkiPem()), oldAccess);
        assertThat(withOldToken.status()).isEqualTo(401);
        assertThat(withOldToken.errorMessage()).isEqualTo("Access token invalid or expired");
        Reply refreshOld = http.post("/v1/auth/refresh",
                json().put("refresh_token", oldTokens.body().get("refresh_token").asString()), null);
        assertThat(refreshOld.status()).isEqualTo(401);
        assertThat(refreshOld.errorMessage()).isEqualTo("Refresh token invalid or expired");
        Reply newChallenge = http.challenge(alice, "k_old");
        assertThat(newChallenge.status()).isEqualTo(401);
        assertThat(newChallenge.errorMessage()).isEqualTo("Unknown signing key for identity: k_old");
        Reply exchange = http.post("/v1/auth/token", GatewayHttp.tokenRequest(alice, "k_old",
                pendingChallenge.body().get("challenge_id").asString(),
                oldKey.sign(pendingChallenge.body().get("nonce").asString()).base64Url()), null);
        assertThat(exchange.status()).isEqualTo(401);
        assertThat(exchange.errorMessage()).isEqualTo("Unknown signing key: k_old");
        assertThat(exchange.errorDetails()).isEqualTo(Map.of("field", "key_id"));

        Reply lastKey = http.delete("/v1/identity/me/keys/k_new", newAccess);
        assertThat(lastKey.status()).isEqualTo(409);
        assertThat(lastKey.errorCode()).isEqualTo("STATE_TRANSITION_INVALID");
        assertThat(lastKey.errorMessage()).isEqualTo("Cannot revoke the last active key");
        Reply again = http.delete("/v1/identity/me/keys/k_old", newAccess);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("STATE_TRANSITION_INVALID");
        Reply unknownKey = http.delete("/v1/identity/me/keys/k_never", newAccess);
        assertThat(unknownKey.status()).isEqualTo(404);
        assertThat(unknownKey.errorDetails()).isEqualTo(Map.of("identity", alice, "key_id", "k_never"));
        assertThat(http.post("/v1/identity", registration(alice, "k_old", oldKey), newAccess).status())
                .as("a revoked key id cannot be bound again")
                .isEqualTo(409);
    }

    @Test
    void everyChangeQueuesTheIdentitysWholeStateKeyedByItsUri() {
        String alice = newIdentity("alice");
        SigningKey key = SigningKey.generate();
        http.register(alice, "k1", key);
        String token = http.accessToken(alice, "k1", key);
        SigningKey second = SigningKey.generate();
        http.post("/v1/identity/me/keys",
                json().put("key_id", "k2").put("public_key_pem", second.verifyingKey().toSpkiPem()), token);
        http.delete("/v1/identity/me/keys/k1", http.accessToken(alice, "k2", second));

        List<OutboxRow> rows = JdbcClient.create(dataSource)
                .sql("SELECT topic, record_key, message_type, payload FROM outbox_event WHERE record_key = :key"
                        + " ORDER BY id")
                .param("key", alice)
                .query(OutboxRow.class)
                .list();

        assertThat(rows).hasSize(3).allSatisfy(row -> {
            assertThat(row.topic()).isEqualTo("loom.identity.changes");
            assertThat(row.messageType()).isEqualTo("identity.changed");
        });
        JsonNode created = LoomJson.parse(rows.get(0).payload());
        assertThat(created.get("identity").asString()).isEqualTo(alice);
        assertThat(created.get("identity_type").asString()).isEqualTo("human");
        assertThat(created.get("deleted").asBoolean()).isFalse();
        assertThat(created.get("message_id").asString()).startsWith("evt_");
        assertThat(created.get("keys").size()).isEqualTo(1);
        assertThat(created.get("keys").get(0).get("public_key_pem").asString())
                .isEqualTo(key.verifyingKey().toSpkiPem());
        JsonNode revoked = LoomJson.parse(rows.get(2).payload());
        assertThat(revoked.get("keys").get(0).get("status").asString()).isEqualTo("revoked");
        assertThat(revoked.get("keys").get(1).get("key_id").asString()).isEqualTo("k2");
        assertThat(revoked.get("keys").get(1).get("status").asString()).isEqualTo("active");
    }

    record OutboxRow(String topic, String recordKey, String messageType, String payload) {
    }

    private Reply document(String identity) {
        return http.get("/v1/identity/" + URLEncoder.encode(identity, StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> keys(Reply reply) {
        return LoomJson.mapper().convertValue(reply.body().get("signing_keys"), List.class);
    }

    private static String quote(String text) {
        return LoomJson.write(LoomJson.mapper().getNodeFactory().stringNode(text));
    }
}
