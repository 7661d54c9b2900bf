package org.loom.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.loom.gateway.web.GuardedGateway;
import tools.jackson.databind.JsonNode;

class BodyLimitTest extends GuardedGateway {

    /** A JSON object of exactly {@code length} bytes. */
    private static String jsonOfLength(int length) {
        String shell = "{\"pad\":\"\"}";
        return "{\"pad\":\"" + "a".repeat(length - shell.length()) + "\"}";
    }

    @Test
    void refusesDeclaredLengthOverTheLimit() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/json")
                .POST(BodyPublishers.ofString(jsonOfLength(MAX_BODY_BYTES + 1))).build());

        assertPayloadTooLarge(response);
    }

    @Test
    void refusesChunkedBodyOnceItPassesTheLimit() throws Exception {
        byte[] body = jsonOfLength(5 * MAX_BODY_BYTES).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = send(request("/test/wire/json")
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());

        assertPayloadTooLarge(response);
    }

    @Test
    void acceptsBodyOfExactlyTheLimit() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/json")
                .POST(BodyPublishers.ofString(jsonOfLength(MAX_BODY_BYTES))).build());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void acceptsChunkedBodyOfExactlyTheLimit() throws Exception {
        byte[] body = jsonOfLength(MAX_BODY_BYTES).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = send(request("/test/wire/json")
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).get("received").get("pad").asString()).hasSize(MAX_BODY_BYTES - 10);
    }

    private static void assertPayloadTooLarge(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(413);
        JsonNode error = error(response.body());
        assertThat(error.get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(error.get("message").asString()).isEqualTo("Request body exceeds " + MAX_BODY_BYTES + " bytes");
        assertThat(error.get("details").toString()).isEqualTo("{\"max_body_bytes\":" + MAX_BODY_BYTES + "}");
        assertThat(error.get("request_id").asString())
                .isEqualTo(response.headers().firstValue("X-LOOM-Request-Id").orElseThrow());
    }
}
