package org.loom.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.loom.gateway.auth.GatewayHttp.json;
import static org.loom.gateway.auth.GatewayHttp.newIdentity;
import static org.loom.gateway.auth.GatewayHttp.tokenRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loom.gateway.auth.GatewayHttp.Reply;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.time.Timestamps;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.node.ObjectNode;

class ProofOfKeyFlowTest extends UnthrottledGateway {

    private static final String ACCESS_TOKEN = "at_[0-9a-f]{32}";
    private static final String REFRESH_TOKEN = "rt_[0-9a-f]{32}";

    @LocalServerPort
    private int port;

    private GatewayHttp http;
    private final SigningKey key = SigningKey.generate();
    private String alice;

    @BeforeEach
    void registerAlice() {
        http = new GatewayHttp(port);
        alice = newIdentity("alice");
        http.register(alice, "k1", key);
    }

    @Test
    void signedChallengeNonceIsExchangedForTokensAndTheRefreshTokenForNewAccessTokens() {
        Instant before = Instant.now();
        Reply challenge = http.challenge(alice, "k1");

        assertThat(challenge.status()).isEqualTo(200);
        assertThat(challenge.isJsonUtf8()).as(challenge.contentType()).isTrue();
        assertThat(challenge.fieldNames())
                .containsExactly("challenge_id", "identity", "key_id", "nonce", "expires_at", "algorithm");
        assertThat(challenge.body().get("challenge_id").asString()).matches("chl_[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(challenge.body().get("nonce").asString()).matches("nonce_[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(challenge.body().get("identity").asString()).isEqualTo(alice);
        assertThat(challenge.body().get("key_id").asString()).isEqualTo("k1");
        assertThat(challenge.body().get("algorithm").asString()).isEqualTo("Ed25519");
        String expiresAt = challenge.body().get("expires_at").asString();
        assertThat(expiresAt).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(Timestamps.parse(expiresAt).orElseThrow())
                .isBetween(before.plus(Duration.ofSeconds(119)), Instant.now().plus(Duration.ofSeconds(121)));

        String signature = key.sign(challenge.body().get("nonce").asString()).base64Url();
        Reply token = http.post("/v1/auth/token",
                tokenRequest(alice, "k1", challenge.body().get("challenge_id").asString(), signature), null);

        assertThat(token.status()).isEqualTo(200);
        assertThat(token.fieldNames())
                .containsExactly("token_type", "access_token", "refresh_token", "expires_in", "identity", "key_id");
        assertThat(token.body().get("token_type").asString()).isEqualTo("Bearer");
        assertThat(token.body().get("access_token").asString()).matches(ACCESS_TOKEN);
        assertThat(token.body().get("refresh_token").asString()).matches(REFRESH_TOKEN);
        assertThat(token.body().get("expires_in").asLong()).isEqualTo(3600);
        assertThat(token.body().get("identity").asString()).isEqualTo(alice);
        assertThat(token.body().get("key_id").asString()).isEqualTo("k1");
        assertThat(addKey(token.body().get("access_token").asString(), "k2").status()).isEqualTo(201);

        Reply refreshed = http.post("/v1/auth/refresh",
                json().put("refresh_token", token.body().get("refresh_token").asString()), null);

        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.fieldNames())
                .containsExactly("token_type", "access_token", "expires_in", "identity", "key_id");
        assertThat(refreshed.body().get("access_token").asString())
                .matches(ACCESS_TOKEN)
                .isNotEqualTo(token.body().get("access_token").asString());
        assertThat(refreshed.body().get("expires_in").asLong()).isEqualTo(3600);
        assertThat(refreshed.body().get("identity").asString()).isEqualTo(alice);
        assertThat(refreshed.body().get("key_id").asString()).isEqualTo("k1");
        assertThat(addKey(refreshed.body().get("access_token").asString(), "k3").status()).isEqualTo(201);
        assertThat(http.post("/v1/auth/refresh",
                json().put("refresh_token", token.body().get("refresh_token").asString()), null).status())
                .as("the refresh token stays valid after use")
                .isEqualTo(200);
    }

    @Test
    void acceptsTheSpecificationsChallengeFieldAsTheChallengeId() {
        Reply challenge = http.challenge(alice, "k1");
        ObjectNode request = json().put("identity", alice).put("key_id", "k1")
                .put("challenge", challenge.body().get("challenge_id").asString())
                .put("signature", key.sign(challenge.body().get("nonce").asString()).base64Url());

        Reply token = http.post("/v1/auth/token", request, null);

        assertThat(token.status()).isEqualTo(200);
        assertThat(token.body().get("access_token").asString()).matches(ACCESS_TOKEN);
    }

    @Test
    void challengeForAnUnknownIdentityIsNotFound() {
        String nobody = newIdentity("nobody");

        Reply reply = http.challenge(nobody, "k1");

        assertError(reply, 404, "IDENTITY_NOT_FOUND", "Identity not found: " + nobody, Map.of("identity", nobody));
    }

    @Test
    void challengeForAKeyOfAnotherIdentityIsRefused() {
        String bob = newIdentity("bob");
        http.register(bob, "k_bob", SigningKey.generate());

        Reply reply = http.challenge(alice, "k_bob");

        assertError(reply, 401, "SIGNATURE_INVALID", "Unknown signing key for identity: k_bob",
                Map.of("field", "key_id"));
    }

    @Test
    void tokenRequestsFailInTheReferenceCheckOrderAndOnlySuccessUsesTheChallenge() {
        Reply challenge = http.challenge(alice, "k1");
        String challengeId = challenge.body().get("challenge_id").asString();
        String signature = key.sign(challenge.body().get("nonce").asString()).base64Url();
        String otherSignature = SigningKey.generate().sign(challenge.body().get("nonce").asString()).base64Url();

        assertError(http.post("/v1/auth/token", tokenRequest(alice, "k1", "chl_01ARZ3NDEKTSV4RRFFQ69G5FAV", signature),
                null), 401, "SIGNATURE_INVALID", "Challenge not found", Map.of("field", "challenge_id"));
        assertError(http.post("/v1/auth/token", json().put("identity", alice).put("key_id", "k1"), null),
                401, "SIGNATURE_INVALID", "Challenge not found", Map.of("field", "challenge_id"));
        assertError(http.post("/v1/auth/token", tokenRequest(alice, "k2", challengeId, signature), null),
                401, "SIGNATURE_INVALID", "Challenge identity/key mismatch", Map.of("field", "identity"));
        assertError(http.post("/v1/auth/token", tokenRequest(newIdentity("mallory"), "k1", challengeId, signature),
                null), 401, "SIGNATURE_INVALID", "Challenge identity/key mismatch", Map.of("field", "identity"));
        assertError(http.post("/v1/auth/token", tokenRequest(alice, "k1", challengeId, ""), null),
                401, "SIGNATURE_INVALID", "Missing challenge signature", Map.of("field", "signature"));
        assertError(http.post("/v1/auth/token", tokenRequest(alice, "k1", challengeId, otherSignature), null),
                401, "SIGNATURE_INVALID", "Challenge signature verification failed", Map.of("field", "signature"));
        assertError(http.post("/v1/auth/token", tokenRequest(alice, "k1", challengeId, "not base64 at all!"), null),
                401, "SIGNATURE_INVALID", "Challenge signature verification failed", Map.of("field", "signature"));

        assertThat(http.post("/v1/auth/token", tokenRequest(alice, "k1", challengeId, signature), null).status())
                .as("failed attempts leave the challenge usable")
                .isEqualTo(200);
        assertError(http.post("/v1/auth/token", tokenRequest(alice, "k1", challengeId, signature), null),
                401, "SIGNATURE_INVALID", "Challenge already used", Map.of("field", "challenge_id"));
    }

    @Test
    void concurrentTokenRequestsWithOneChallengeYieldExactlyOneTokenPair() {
        Reply challenge = http.challenge(alice, "k1");
        ObjectNode request = tokenRequest(alice, "k1", challenge.body().get("challenge_id").asString(),
                key.sign(challenge.body().get("nonce").asString()).base64Url());

        List<CompletableFuture<Reply>> racing = IntStream.range(0, 8)
                .mapToObj(i -> http.postAsync("/v1/auth/token", request))
                .toList();
        List<Reply> replies = racing.stream().map(CompletableFuture::join).toList();

        assertThat(replies).filteredOn(reply -> reply.status() == 200).hasSize(1);
        assertThat(replies).filteredOn(reply -> reply.status() != 200)
                .hasSize(7)
                .allSatisfy(reply -> assertError(reply, 401, "SIGNATURE_INVALID", "Challenge already used",
                        Map.of("field", "challenge_id")));
    }

    @Test
    void unknownRefreshTokenIsRefused() {
        assertError(http.post("/v1/auth/refresh", json().put("refresh_token", "rt_0123456789abcdef0123456789abcdef"),
                null), 401, "SIGNATURE_INVALID", "Refresh token invalid or expired", Map.of("field", "refresh_token"));
        assertError(http.post("/v1/auth/refresh", json(), null),
                401, "SIGNATURE_INVALID", "Refresh token invalid or expired", Map.of("field", "refresh_token"));
    }

    @Test
    void bearerTokenIsReadFromTheAuthorizationHeaderWithAnyCaseOfScheme() {
        String accessToken = http.accessToken(alice, "k1", key);
        ObjectNode newKey = keyBody("k_case");

        assertThat(http.postWithAuthorization("/v1/identity/me/keys", newKey, "bEaReR " + accessToken).status())
                .isEqualTo(201);
        assertError(http.post("/v1/identity/me/keys", keyBody("k_none"), null),
                401, "SIGNATURE_INVALID", "Missing bearer token", Map.of("field", "authorization"));
        assertError(http.postWithAuthorization("/v1/identity/me/keys", keyBody("k_basic"), "Basic " + accessToken),
                401, "SIGNATURE_INVALID", "Missing bearer token", Map.of("field", "authorization"));
        assertError(http.postWithAuthorization("/v1/identity/me/keys", keyBody("k_two"), "Bearer  " + accessToken),
                401, "SIGNATURE_INVALID", "Missing bearer token", Map.of("field", "authorization"));
        assertError(http.post("/v1/identity/me/keys", keyBody("k_unknown"), "at_0123456789abcdef0123456789abcdef"),
                401, "SIGNATURE_INVALID", "Access token invalid or expired", Map.of());
    }

    private Reply addKey(String accessToken, String keyId) {
        return http.post("/v1/identity/me/keys", keyBody(keyId), accessToken);
    }

    private static ObjectNode keyBody(String keyId) {
        return json().put("key_id", keyId).put("public_key_pem", SigningKey.generate().verifyingKey().toSpkiPem());
    }

    static void assertError(Reply reply, int status, String code, String message, Map<String, Object> details) {
        assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
        assertThat(reply.errorCode()).isEqualTo(code);
        assertThat(reply.errorMessage()).isEqualTo(message);
        assertThat(reply.errorDetails()).isEqualTo(details);
    }
}
