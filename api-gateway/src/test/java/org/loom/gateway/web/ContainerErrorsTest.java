package org.loom.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Requests the servlet container refuses before any application code runs still get the protocol error body. */
class ContainerErrorsTest extends GuardedGateway {

    @Test
    void answersInvalidPercentEscapeWithProtocolError() throws Exception {
        RawHttp.Response response = RawHttp.exchange(port,
                "GET /v1/identity/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertProtocolError(response, 400, "ENVELOPE_INVALID");
    }

    @Test
    void answersMalformedRequestLineWithProtocolError() throws Exception {
        RawHttp.Response response = RawHttp.exchange(port,
                "GET /v1/threads/{x} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertProtocolError(response, 400, "ENVELOPE_INVALID");
    }

    @Test
    void answersOversizedHeaderWithProtocolError() throws Exception {
        String huge = "x".repeat(64 * 1024);
        RawHttp.Response response = RawHttp.exchange(port,
                "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + huge + "\r\nConnection: close\r\n\r\n");

        assertProtocolError(response, 400, "ENVELOPE_INVALID");
    }

    @Test
    void answersUnsupportedTransferCodingWithProtocolError() throws Exception {
        RawHttp.Response response = RawHttp.exchange(port, "POST /v1/auth/refresh HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-Forwarded-For: " + freshClient() + "\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\n{}");

        assertProtocolError(response, 400, "ENVELOPE_INVALID");
    }

    @Test
    void answersMultipartBodyWithoutBoundaryWithProtocolError() throws Exception {
        RawHttp.Response response = RawHttp.exchange(port, "POST /v1/identity HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-Forwarded-For: " + freshClient() + "\r\nContent-Type: multipart/form-data; boundary=\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");

        JsonNode error = assertProtocolError(response, 400, "ENVELOPE_INVALID");
        assertThat(error.get("details").toString()).isEqualTo("{\"field\":\"content-type\"}");
    }

    @Test
    void answersUnknownActuatorComponentWithProtocolError() throws Exception {
        RawHttp.Response response = RawHttp.exchange(port, "GET /actuator/health/no-such-component HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nX-Forwarded-For: " + freshClient() + "\r\nConnection: close\r\n\r\n");

        assertProtocolError(response, 404, "ENVELOPE_NOT_FOUND");
    }

    @Test
    void answersDirectRequestForTheErrorPageAsUnknownRoute() throws Exception {
        RawHttp.Response response = RawHttp.exchange(port,
                "GET /error HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        JsonNode error = assertProtocolError(response, 404, "ENVELOPE_NOT_FOUND");
        assertThat(error.get("details").toString()).isEqualTo("{\"method\":\"GET\",\"path\":\"/error\"}");
    }

    private static JsonNode assertProtocolError(RawHttp.Response response, int status, String code) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.body()).doesNotContain("<html").doesNotContain("<!doctype");
        JsonNode error = error(response.body());
        assertThat(error.get("code").asString()).isEqualTo(code);
        assertThat(error.get("request_id").asString()).startsWith("req_")
                .isEqualTo(response.header("X-LOOM-Request-Id"));
        return error;
    }
}
