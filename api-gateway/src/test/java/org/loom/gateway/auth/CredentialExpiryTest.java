package org.loom.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.loom.gateway.auth.GatewayHttp.json;
import static org.loom.gateway.auth.GatewayHttp.newIdentity;
import static org.loom.gateway.auth.GatewayHttp.tokenRequest;

import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loom.gateway.auth.GatewayHttp.Reply;
import org.loom.gateway.node.TunedGateway;
import org.loom.protocol.crypto.SigningKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Runs with challenges and access tokens that live one second, and a sweep every 200 ms. */
class CredentialExpiryTest extends TunedGateway {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @LocalServerPort
    private int port;

    @Autowired
    private DataSource dataSource;

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
    void challengeIsRefusedOnceExpiredAndSweptAway() {
        Reply challenge = http.challenge(alice, "k1");
        String challengeId = challenge.body().get("challenge_id").asString();
        String wrongSignature = SigningKey.generate().sign(challenge.body().get("nonce").asString()).base64Url();

        // A wrong signature never uses the challenge up, so polling with one shows when expiry takes over. The sweep
        // may remove the row within 200 ms of expiry, before a slow poll sees it as expired: either answer means the
        // challenge can no longer be used.
        await().atMost(PATIENCE).until(() -> http.post("/v1/auth/token",
                tokenRequest(alice, "k1", challengeId, wrongSignature), null).errorMessage(),
                message -> message.equals("Challenge expired") || message.equals("Challenge not found"));
        Reply expired = http.post("/v1/auth/token", tokenRequest(alice, "k1", challengeId,
                key.sign(challenge.body().get("nonce").asString()).base64Url()), null);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.errorCode()).isEqualTo("SIGNATURE_INVALID");
        assertThat(expired.errorDetails()).isEqualTo(Map.of("field", "challenge_id"));

        await().atMost(PATIENCE).until(() -> count("auth_challenge", "id", challengeId) == 0);
        assertThat(http.post("/v1/auth/token", tokenRequest(alice, "k1", challengeId, wrongSignature), null)
                .errorMessage()).isEqualTo("Challenge not found");
    }

    @Test
    void accessTokenStopsWorkingWhenItExpiresAndItsRowIsSweptWhileTheRefreshTokenLivesOn() {
        Reply tokens = http.login(alice, "k1", key);
        String accessToken = tokens.body().get("access_token").asString();
        assertThat(tokens.body().get("expires_in").asLong()).isEqualTo(1);

        await().atMost(PATIENCE).until(() -> http.post("/v1/identity/me/keys", json().put("key_id", "k_late")
                .put("public_key_pem", SigningKey.generate().verifyingKey().toSpkiPem()), accessToken).status() == 401);
        Reply expired = http.post("/v1/identity/me/keys", json(), accessToken);
        assertThat(expired.errorMessage()).isEqualTo("Access token invalid or expired");

        await().atMost(PATIENCE).until(() -> count("access_token", "identity_id", alice) == 0);
        assertThat(count("refresh_token", "identity_id", alice)).isEqualTo(1);
        Reply refreshed = http.post("/v1/auth/refresh",
                json().put("refresh_token", tokens.body().get("refresh_token").asString()), null);
        assertThat(refreshed.status()).isEqualTo(200);
    }

    private long count(String table, String column, String value) {
        return JdbcClient.create(dataSource)
                .sql("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = :value")
                .param("value", value)
                .query(Long.class)
                .single();
    }
}
