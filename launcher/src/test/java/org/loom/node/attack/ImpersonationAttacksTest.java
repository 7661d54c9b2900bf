package org.loom.node.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loom.node.attack.AttackNode.Account;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.testsupport.client.NodeAnswer;
import org.loom.testsupport.client.NodeClient;
import org.loom.testsupport.client.TestIdentity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Speaking as someone else, through the public gateway of a real node: forged and replayed envelopes, envelopes
 * signed with another identity's key, taking over an identity, and credentials that outlive the key they came from.
 */
class ImpersonationAttacksTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static AttackNode node;
    private static NodeClient client;
    private static Account alice;
    private static Account bob;
    private static Account eve;

    @BeforeAll
    static void startNode() throws Exception {
        node = AttackNode.start(Map.of());
        client = node.client();
        alice = node.enrol("loom://alice@node.test");
        bob = node.enrol("loom://bob@node.test");
        eve = node.enrol("loom://eve@node.test");
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void envelopeAlteredAfterSigningIsRefused() {
        ObjectNode envelope = message(alice.person());
        ((ObjectNode) envelope.at("/content/human")).put("text", "Pay Eve instead");
        assertRefused(client.submit(alice.token(), envelope, PATIENCE), 401, "SIGNATURE_INVALID");
    }

    @Test
    void replayedEnvelopeIsRefusedAsADuplicate() {
        ObjectNode envelope = message(alice.person());
        client.submit(alice.token(), envelope, PATIENCE).expect(201);
        // The same signed bytes again, by the sender and by someone who captured them.
        assertRefused(client.submit(alice.token(), envelope, PATIENCE), 409, "ENVELOPE_DUPLICATE");
        assertRefused(client.submit(eve.token(), envelope, PATIENCE), 403, "CAPABILITY_DENIED");
    }

    @Test
    void envelopeInAnotherIdentitysNameSignedWithTheAttackersKeyIsRefused() {
        // Eve's key under Alice's name: the key id is one Alice also has, but the key is not hers.
        TestIdentity posingAsAlice = new TestIdentity(alice.identity(), eve.person().keyId(), eve.person().key());
        ObjectNode forged = message(posingAsAlice);
        assertRefused(client.submit(eve.token(), forged, PATIENCE), 403, "CAPABILITY_DENIED");
        NodeAnswer withAlicesToken = client.submit(alice.token(), forged, PATIENCE);
        assertRefused(withAlicesToken, 401, "SIGNATURE_INVALID");
    }

    @Test
    void envelopeSignedWithAKeyIdOfAnotherIdentityIsRefused() {
        // Alice names a key id that only Eve has registered: keys are bound to their identity.
        TestIdentity aliceWithEvesKey = new TestIdentity(alice.identity(), "k_eve_only", eve.person().key());
        ObjectNode body = LoomJson.mapper().createObjectNode().put("key_id", "k_eve_only")
                .put("public_key_pem", eve.person().key().verifyingKey().toSpkiPem());
        client.post("/v1/identity/me/keys", eve.token(), body).expect(201);
        NodeAnswer answer = client.submit(alice.token(), message(aliceWithEvesKey), PATIENCE);
        assertThat(answer.status()).as(answer.raw()).isIn(401, 403);
        assertThat(answer.errorCode()).isEqualTo("SIGNATURE_INVALID");
    }

    @Test
    void reRegisteringAnExistingIdentityWithTheAttackersKeyIsRefused() {
        SigningKey evesKey = SigningKey.generate();
        ObjectNode takeover = LoomJson.mapper().createObjectNode();
        takeover.put("id", bob.identity()).put("type", "human").put("display_name", "Bob (really Eve)");
        takeover.putArray("signing_keys").addObject().put("key_id", "k_takeover")
                .put("public_key_pem", evesKey.verifyingKey().toSpkiPem());

        NodeAnswer anonymous = client.post("/v1/identity", null, takeover);
        assertThat(anonymous.status()).as(anonymous.raw()).isBetween(400, 499);
        NodeAnswer withEvesToken = client.post("/v1/identity", eve.token(), takeover);
        assertThat(withEvesToken.status()).as(withEvesToken.raw()).isBetween(400, 499);

        // Bob's document is unchanged and the attacker's key cannot sign in as Bob.
        JsonNode document = client.get(NodeClient.identityPath(bob.identity()), null).expect(200);
        assertThat(LoomJson.write(document)).doesNotContain("k_takeover").doesNotContain("Bob (really Eve)");
        NodeAnswer challenge = client.post("/v1/auth/challenge", null, LoomJson.mapper().createObjectNode()
                .put("identity", bob.identity()).put("key_id", "k_takeover"));
        assertThat(challenge.status()).isBetween(400, 499);
        assertThat(client.token(bob.person())).isNotBlank();
    }

    @Test
    void signInWithAChallengeSignedByAnotherKeyIsRefused() {
        JsonNode challenge = client.post("/v1/auth/challenge", null, LoomJson.mapper().createObjectNode()
                .put("identity", alice.identity()).put("key_id", alice.person().keyId())).expect(200);
        ObjectNode proof = LoomJson.mapper().createObjectNode()
                .put("identity", alice.identity())
                .put("key_id", alice.person().keyId())
                .put("challenge_id", challenge.get("challenge_id").stringValue())
                .put("signature", eve.person().key().sign(challenge.get("nonce").stringValue()).base64Url());
        assertRefused(client.post("/v1/auth/token", null, proof), 401, "SIGNATURE_INVALID");
    }

    @Test
    void stolenAccessAndRefreshTokensOfARevokedKeyAreRefused() {
        Account carol = node.enrol("loom://carol@node.test");
        JsonNode stolen = tokenPair(carol.person());
        String stolenAccess = stolen.get("access_token").stringValue();
        String stolenRefresh = stolen.get("refresh_token").stringValue();

        // Carol notices, adds a fresh key and revokes the one whose tokens were taken.
        TestIdentity fresh = new TestIdentity(carol.identity(), "k_sign_2", SigningKey.generate());
        client.post("/v1/identity/me/keys", carol.token(), LoomJson.mapper().createObjectNode()
                .put("key_id", fresh.keyId()).put("public_key_pem", fresh.key().verifyingKey().toSpkiPem()))
                .expect(201);
        String freshToken = client.token(fresh);
        client.send(client.request("/v1/identity/me/keys/" + carol.person().keyId(), freshToken, Map.of())
                .DELETE()).expect(200);

        assertRefused(client.get("/v1/threads", stolenAccess), 401, "SIGNATURE_INVALID");
        assertRefused(client.post("/v1/auth/refresh", null, LoomJson.mapper().createObjectNode()
                .put("refresh_token", stolenRefresh)), 401, "SIGNATURE_INVALID");
        assertRefused(client.submit(stolenAccess, message(carol.person()), PATIENCE), 401, "SIGNATURE_INVALID");
        client.get("/v1/threads", freshToken).expect(200);
    }

    @Test
    void madeUpBearerTokensAreRefused() {
        for (String token : List.of("at_" + "0".repeat(32), "rt_" + "0".repeat(32), "' OR 1=1 --", "x".repeat(4000))) {
            NodeAnswer answer = client.get("/v1/threads", token);
            assertThat(answer.status()).as(token).isEqualTo(401);
            assertThat(answer.errorCode()).isEqualTo("SIGNATURE_INVALID");
        }
    }

    private static JsonNode tokenPair(TestIdentity person) {
        JsonNode challenge = client.post("/v1/auth/challenge", null, LoomJson.mapper().createObjectNode()
                .put("identity", person.identity()).put("key_id", person.keyId())).expect(200);
        ObjectNode proof = LoomJson.mapper().createObjectNode()
                .put("identity", person.identity())
                .put("key_id", person.keyId())
                .put("challenge_id", challenge.get("challenge_id").stringValue())
                .put("signature", person.key().sign(challenge.get("nonce").stringValue()).base64Url());
        return client.post("/v1/auth/token", null, proof).expect(200);
    }

    private static ObjectNode message(TestIdentity from) {
        return NodeClient.message(from, LoomIds.next(IdPrefix.THREAD), null, List.of(bob.identity()),
                "Please pay invoice 42");
    }

    static void assertRefused(NodeAnswer answer, int status, String code) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.errorCode()).as(answer.raw()).isEqualTo(code);
    }
}
