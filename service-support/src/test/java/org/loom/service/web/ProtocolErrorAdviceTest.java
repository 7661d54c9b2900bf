package org.loom.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.mock.http.MockHttpInputMessage;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import tools.jackson.databind.JsonNode;

class ProtocolErrorAdviceTest {

    private static final String REQUEST_ID = "req_0b3a3c2e-5f7d-4c1a-9e8b-2d4f6a8c0e1f";

    private final ProtocolErrorAdvice advice = new ProtocolErrorAdvice();
    private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/envelopes");

    ProtocolErrorAdviceTest() {
        request.setAttribute(RequestIds.ATTRIBUTE, REQUEST_ID);
    }

    private static JsonNode errorOf(ResponseEntity<byte[]> response) {
        return LoomJson.parse(response.getBody()).get("error");
    }

    @Test
    void rendersProtocolErrorWithItsCodeStatusAndOrderedDetails() {
        LoomException thrown = LoomException.capabilityDenied("Actor is not a participant",
                LoomException.details("field", "from.identity", "reason", "not_participant"));

        ResponseEntity<byte[]> response = advice.protocolError(thrown, request);

        assertThat(response.getStatusCode().value()).isEqualTo(403);
        assertThat(response.getHeaders().getContentType()).isEqualTo(JsonResponses.JSON_UTF8);
        assertThat(response.getHeaders().getFirst(RequestIds.HEADER)).isEqualTo(REQUEST_ID);
        String body = new String(response.getBody(), StandardCharsets.UTF_8);
        assertThat(body).startsWith("{\"error\":{\"code\":\"CAPABILITY_DENIED\",\"message\":\"Actor is not a participant\","
                + "\"details\":{\"field\":\"from.identity\",\"reason\":\"not_participant\"},\"request_id\":\""
                + REQUEST_ID + "\",\"timestamp\":\"");
        String timestamp = errorOf(response).get("timestamp").asString();
        assertThat(Timestamps.isValid(timestamp)).isTrue();
        assertThat(timestamp).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(response.getHeaders().getFirst("Retry-After")).isNull();
    }

    /** PostgreSQL refuses a NUL in TEXT (22021) or JSONB (22P05): the client's text, so a 400, however wrapped. */
    @Test
    void databaseRefusingTheClientsTextIsABadRequest() {
        ResponseEntity<byte[]> text = advice.unexpected(new RuntimeException("could not execute statement",
                new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021")), request);
        assertThat(text.getStatusCode().value()).isEqualTo(400);
        assertThat(errorOf(text).get("code").asString()).isEqualTo("ENVELOPE_INVALID");
        assertThat(errorOf(text).get("details").get("reason").asString()).isEqualTo("unsupported_character");

        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "22P05", new int[0]);
        batch.setNextException(new SQLException("unsupported Unicode escape sequence", "22P05"));
        ResponseEntity<byte[]> json = advice.unexpected(new IllegalStateException(new RuntimeException(batch)),
                request);
        assertThat(json.getStatusCode().value()).isEqualTo(400);

        SQLException chained = new SQLException("Batch entry 0 was aborted", "XX000");
        chained.setNextException(new SQLException("character not in repertoire", "22021"));
        assertThat(ProtocolErrorResponses.protocolErrorIn(chained)).isNotNull();
    }

    @Test
    void otherDatabaseFailuresStayInternal() {
        ResponseEntity<byte[]> response = advice.unexpected(new RuntimeException(
                new SQLException("duplicate key value violates unique constraint", "23505")), request);
        assertThat(response.getStatusCode().value()).isEqualTo(500);
        assertThat(errorOf(response).get("code").asString()).isEqualTo("INTERNAL_ERROR");
    }

    @Test
    void addsRetryAfterInWholeSecondsRoundedUp() {
        LoomException thrown = new LoomException(ErrorCode.RATE_LIMIT_EXCEEDED, "Rate limit exceeded",
                LoomException.details("limit", 2, "retry_after_ms", 2001));

        ResponseEntity<byte[]> response = advice.protocolError(thrown, request);

        assertThat(response.getStatusCode().value()).isEqualTo(429);
        assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("3");
    }

    @Test
    void hidesTheMessageOfAnUnexpectedFailure() {
        ResponseEntity<byte[]> response = advice.unexpected(new IllegalStateException("pool exhausted at db-7"), request);

        assertThat(response.getStatusCode().value()).isEqualTo(500);
        JsonNode error = errorOf(response);
        assertThat(error.get("code").asString()).isEqualTo("INTERNAL_ERROR");
        assertThat(error.get("message").asString()).isEqualTo("Internal server error");
        assertThat(error.get("details").isEmpty()).isTrue();
        assertThat(new String(response.getBody(), StandardCharsets.UTF_8)).doesNotContain("db-7");
    }

    @Test
    void findsProtocolErrorWrappedByTheFramework() {
        LoomException inner = new LoomException(ErrorCode.PAYLOAD_TOO_LARGE, "Request body exceeds 10 bytes",
                LoomException.details("max_body_bytes", 10));

        ResponseEntity<byte[]> response = advice.unexpected(new RuntimeException("wrapper", inner), request);

        assertThat(response.getStatusCode().value()).isEqualTo(413);
        assertThat(errorOf(response).get("details").get("max_body_bytes").asInt()).isEqualTo(10);
    }

    @Test
    void answersUnreadableBodyAsInvalidJson() {
        HttpInputMessage input = new MockHttpInputMessage(new byte[0]);

        ResponseEntity<byte[]> response = advice.unreadableBody(
                new HttpMessageNotReadableException("Unexpected end-of-input at [Source: x]", input), request);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        JsonNode error = errorOf(response);
        assertThat(error.get("code").asString()).isEqualTo("ENVELOPE_INVALID");
        assertThat(error.get("message").asString()).isEqualTo("Request body must be valid JSON");
        assertThat(error.toString()).doesNotContain("Source");
    }

    @Test
    void answersAnUnparsableMultipartBodyAsInvalid() {
        ResponseEntity<byte[]> response = advice.unreadableMultipart(
                new MultipartException("Failed to parse multipart servlet request"), request);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        JsonNode error = errorOf(response);
        assertThat(error.get("code").asString()).isEqualTo("ENVELOPE_INVALID");
        assertThat(error.get("details").toString()).isEqualTo("{\"field\":\"content-type\"}");
    }

    @Test
    void answersAnOversizedMultipartBodyAsTooLarge() {
        ResponseEntity<byte[]> response = advice.unreadableMultipart(new MaxUploadSizeExceededException(10), request);

        assertThat(response.getStatusCode().value()).isEqualTo(413);
        assertThat(errorOf(response).get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void answersWrongMethodAsRouteNotFound() {
        request.setMethod("DELETE");
        request.setRequestURI("/health");

        ResponseEntity<byte[]> response = advice.routeNotFound(
                new HttpRequestMethodNotSupportedException("DELETE", List.of("GET")), request);

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        JsonNode error = errorOf(response);
        assertThat(error.get("code").asString()).isEqualTo("ENVELOPE_NOT_FOUND");
        assertThat(error.get("message").asString()).isEqualTo("Route not found");
        assertThat(error.get("details").toString()).isEqualTo("{\"method\":\"DELETE\",\"path\":\"/health\"}");
    }

    @Test
    void namesTheMissingParameter() {
        ResponseEntity<byte[]> response = advice.missingParameter(
                new MissingServletRequestParameterException("thread_id", "String"), request);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(errorOf(response).get("details").toString()).isEqualTo("{\"field\":\"thread_id\"}");
    }

    @Test
    void givesARequestWithoutIdAFreshOne() {
        MockHttpServletRequest bare = new MockHttpServletRequest("GET", "/x");

        ResponseEntity<byte[]> response = advice.protocolError(LoomException.invalid("bad", Map.of()), bare);

        String id = errorOf(response).get("request_id").asString();
        assertThat(RequestIds.isWellFormed(id)).isTrue();
        assertThat(response.getHeaders().getFirst(RequestIds.HEADER)).isEqualTo(id);
    }
}
