package org.loom.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.loom.gateway.web.GuardedGateway;
import org.loom.gateway.web.RawHttp;
import tools.jackson.databind.JsonNode;

class RateLimitTest extends GuardedGateway {

    private HttpResponse<String> postFrom(String client, String path) throws Exception {
        return send(request(path).setHeader("X-Forwarded-For", client).POST(BodyPublishers.ofString("{}")).build());
    }

    private HttpResponse<String> getFrom(String client, String path) throws Exception {
        return send(request(path).setHeader("X-Forwarded-For", client).GET().build());
    }

    @Test
    void refusesSensitiveRouteAfterItsLimitWithHeaders() throws Exception {
        String client = freshClient();
        for (int i = 1; i <= SENSITIVE_MAX; i++) {
            HttpResponse<String> response = postFrom(client, "/v1/envelopes");
            assertThat(response.statusCode()).isNotEqualTo(429);
            assertThat(response.headers().firstValue("X-LOOM-RateLimit-Limit")).hasValue(Integer.toString(SENSITIVE_MAX));
            assertThat(response.headers().firstValue("X-LOOM-RateLimit-Remaining"))
                    .hasValue(Integer.toString(SENSITIVE_MAX - i));
        }

        HttpResponse<String> refused = postFrom(client, "/v1/envelopes");

        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode error = error(refused.body());
        assertThat(error.get("code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(error.get("message").asString()).isEqualTo("Rate limit exceeded");
        JsonNode details = error.get("details");
        assertThat(details.get("limit").asInt()).isEqualTo(SENSITIVE_MAX);
        assertThat(details.get("window_ms").asLong()).isEqualTo(600_000L);
        assertThat(details.get("scope").asString()).isEqualTo("sensitive");
        long retryAfterMs = details.get("retry_after_ms").asLong();
        assertThat(retryAfterMs).isBetween(1L, 600_000L);
        assertThat(refused.headers().firstValue("Retry-After"))
                .hasValue(Long.toString((retryAfterMs + 999) / 1000));
        assertThat(refused.headers().firstValue("X-LOOM-RateLimit-Remaining")).hasValue("0");
        long reset = Long.parseLong(refused.headers().firstValue("X-LOOM-RateLimit-Reset").orElseThrow());
        assertThat(reset).isBetween(Instant.now().getEpochSecond(), Instant.now().getEpochSecond() + 601);
        assertThat(details.toString()).startsWith("{\"limit\":3,\"window_ms\":600000,\"retry_after_ms\":");
    }

    @Test
    void countsThreadOpsInTheSensitiveBucket() throws Exception {
        String client = freshClient();
        for (int i = 0; i < SENSITIVE_MAX; i++) {
            postFrom(client, "/v1/threads/thr_X/ops");
        }

        assertThat(postFrom(client, "/v1/threads/thr_Y/ops").statusCode()).isEqualTo(429);
    }

    @Test
    void keepsDefaultBucketSeparateFromSensitive() throws Exception {
        String client = freshClient();
        for (int i = 0; i <= SENSITIVE_MAX; i++) {
            postFrom(client, "/v1/auth/token");
        }
        assertThat(postFrom(client, "/v1/auth/token").statusCode()).isEqualTo(429);

        HttpResponse<String> health = getFrom(client, "/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("X-LOOM-RateLimit-Limit")).hasValue(Integer.toString(DEFAULT_MAX));
    }

    @Test
    void limitsUnknownRoutesInTheDefaultBucket() throws Exception {
        String client = freshClient();
        for (int i = 0; i < DEFAULT_MAX; i++) {
            assertThat(getFrom(client, "/v1/nowhere").statusCode()).isEqualTo(404);
        }

        HttpResponse<String> refused = getFrom(client, "/v1/nowhere");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(error(refused.body()).get("details").get("scope").asString()).isEqualTo("default");
        assertThat(postFrom(client, "/v1/envelopes").statusCode()).isNotEqualTo(429);
    }

    @Test
    void honoursForwardedForFromTrustedProxy() throws Exception {
        String first = freshClient();
        for (int i = 0; i <= SENSITIVE_MAX; i++) {
            postFrom(first, "/v1/auth/challenge");
        }
        assertThat(postFrom(first, "/v1/auth/challenge").statusCode()).isEqualTo(429);

        HttpResponse<String> other = postFrom(freshClient(), "/v1/auth/challenge");

        assertThat(other.statusCode()).isNotEqualTo(429);
        assertThat(other.headers().firstValue("X-LOOM-RateLimit-Remaining"))
                .hasValue(Integer.toString(SENSITIVE_MAX - 1));
    }

    @Test
    void ignoresForwardedForFromUntrustedPeer() throws Exception {
        InetAddress untrustedPeer = InetAddress.getByName("127.0.0.2");
        int status = 0;
        for (int i = 0; i <= SENSITIVE_MAX; i++) {
            String post = "POST /v1/federation/deliver HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: "
                    + freshClient() + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
            status = RawHttp.exchange(untrustedPeer, port, post.getBytes(StandardCharsets.US_ASCII)).status();
        }

        assertThat(status).isEqualTo(429);
    }

    @Test
    void honoursForwardedFromTrustedProxy() throws Exception {
        String first = freshClient();
        for (int i = 0; i <= SENSITIVE_MAX; i++) {
            postForwarded(first);
        }
        assertThat(postForwarded(first).statusCode()).isEqualTo(429);

        assertThat(postForwarded(freshClient()).statusCode()).isNotEqualTo(429);
    }

    @Test
    void ignoresForwardedFromUntrustedPeer() throws Exception {
        InetAddress untrustedPeer = InetAddress.getByName("127.0.0.2");
        int status = 0;
        for (int i = 0; i <= SENSITIVE_MAX; i++) {
            String post = "POST /v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nForwarded: for=" + freshClient()
                    + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
            status = RawHttp.exchange(untrustedPeer, port, post.getBytes(StandardCharsets.US_ASCII)).status();
        }

        assertThat(status).isEqualTo(429);
    }

    private HttpResponse<String> postForwarded(String client) throws Exception {
        return send(HttpRequest.newBuilder(uri("/v1/auth/refresh")).header("Forwarded", "for=\"" + client + ":443\"")
                .POST(BodyPublishers.ofString("{}")).build());
    }
}
