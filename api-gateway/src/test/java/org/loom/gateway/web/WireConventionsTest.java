package org.loom.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.JsonNode;

class WireConventionsTest extends GuardedGateway {

    private static final String REQUEST_ID = "req_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void readsJsonBodyWithoutContentType() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/json")
                .POST(BodyPublishers.ofString("{\"a\":1,\"b\":[true,null]}")).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
        assertThat(response.body()).isEqualTo("{\"received\":{\"a\":1,\"b\":[true,null]}}");
    }

    @Test
    void readsJsonBodyLabelledAsPlainText() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/json").header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofString("{\"text\":\"héllo\"}")).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).get("received").get("text").asString()).isEqualTo("héllo");
    }

    @Test
    void readsJsonBodyLabelledAsAFormAsCurlSendsIt() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("{\"text\":\"a=b&c\"}")).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).get("received").get("text").asString()).isEqualTo("a=b&c");
    }

    @Test
    void readsEmptyBodyAsEmptyObject() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/object").header("Content-Type", "application/json")
                .POST(BodyPublishers.noBody()).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{}");
    }

    @Test
    void keepsFormLabelledBodyForTheController() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/raw?tag=t%2B1")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(BodyPublishers.ofString("tag=from-body&x=1")).build());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode reply = json(response.body());
        assertThat(reply.get("text").asString()).isEqualTo("tag=from-body&x=1");
        assertThat(reply.get("tag").asString()).isEqualTo("t+1");
    }

    @Test
    void writesNumbersInEcmaScriptForm() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/number?n=4").GET().build());

        assertThat(response.body()).isEqualTo("{\"n\":4,\"half\":2}");
    }

    @Test
    void rejectsMalformedJsonWithProtocolError() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/json").POST(BodyPublishers.ofString("{\"a\":")).build());

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = error(response.body());
        assertThat(error.get("code").asString()).isEqualTo("ENVELOPE_INVALID");
        assertThat(error.get("message").asString()).isEqualTo("Request body must be valid JSON");
        assertThat(error.get("request_id").asString()).matches(REQUEST_ID)
                .isEqualTo(response.headers().firstValue("X-LOOM-Request-Id").orElseThrow());
        assertThat(Timestamps.isValid(error.get("timestamp").asString())).isTrue();
        assertThat(error.get("timestamp").asString()).matches(".*\\.\\d{3}Z");
    }

    @Test
    void rejectsArrayWhereObjectIsRequired() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/object").POST(BodyPublishers.ofString("[1]")).build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response.body()).get("code").asString()).isEqualTo("ENVELOPE_INVALID");
    }

    @Test
    void answersUnknownRouteWithRouteNotFound() throws Exception {
        HttpResponse<String> response = send(request("/v1/no-such-route?x=1").GET().build());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode error = error(response.body());
        assertThat(error.get("code").asString()).isEqualTo("ENVELOPE_NOT_FOUND");
        assertThat(error.get("message").asString()).isEqualTo("Route not found");
        assertThat(error.get("details").toString()).isEqualTo("{\"method\":\"GET\",\"path\":\"/v1/no-such-route\"}");
    }

    @Test
    void answersWrongMethodWithRouteNotFound() throws Exception {
        HttpResponse<String> response = send(request("/health").DELETE().build());

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = error(response.body());
        assertThat(error.get("code").asString()).isEqualTo("ENVELOPE_NOT_FOUND");
        assertThat(error.get("details").toString()).isEqualTo("{\"method\":\"DELETE\",\"path\":\"/health\"}");
    }

    @Test
    void passesEncodedSlashesToTheControllerDecoded() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/segment/loom%3A%2F%2Fa%40x").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode reply = json(response.body());
        assertThat(reply.get("decoded").asString()).isEqualTo("loom://a@x");
        assertThat(reply.get("raw").asString()).isEqualTo("loom%3A%2F%2Fa%40x");
    }

    @Test
    void keepsSemicolonsInsideTheSegment() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/segment/a;b%3Bc").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).get("decoded").asString()).isEqualTo("a;b;c");
    }

    @Test
    void rejectsEscapeThatIsNotUtf8InThePath() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/segment/%C3%28").GET().build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response.body()).get("code").asString()).isEqualTo("ENVELOPE_INVALID");
    }

    @Test
    void rejectsMistypedQueryParameterNamingIt() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/number?n=abc").GET().build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response.body()).get("details").toString()).isEqualTo("{\"field\":\"n\"}");
    }

    @Test
    void hidesUnexpectedFailureBehindInternalError() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/crash").GET().build());

        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode error = error(response.body());
        assertThat(error.get("code").asString()).isEqualTo("INTERNAL_ERROR");
        assertThat(error.get("message").asString()).isEqualTo("Internal server error");
        assertThat(error.get("details").toString()).isEqualTo("{}");
        assertThat(response.body()).doesNotContain("secret");
    }

    @Test
    void turnsRetryAfterDetailIntoRetryAfterHeader() throws Exception {
        HttpResponse<String> response = send(request("/test/wire/pending").GET().build());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(error(response.body()).get("details").get("retry_after_ms").asInt()).isEqualTo(1500);
    }

    @Test
    void givesEveryResponseItsOwnRequestId() throws Exception {
        List<String> ids = List.of(
                send(request("/health").GET().build()).headers().firstValue("X-LOOM-Request-Id").orElseThrow(),
                send(request("/health").GET().build()).headers().firstValue("X-LOOM-Request-Id").orElseThrow());

        assertThat(ids).allMatch(id -> id.matches(REQUEST_ID));
        assertThat(ids.get(0)).isNotEqualTo(ids.get(1));
    }

    @Test
    void replacesRequestIdSentByAPublicClient() throws Exception {
        String offered = "req_00000000-0000-4000-8000-000000000000";
        HttpResponse<String> response = send(request("/v1/unknown").header("X-LOOM-Request-Id", offered).GET().build());

        String id = response.headers().firstValue("X-LOOM-Request-Id").orElseThrow();
        assertThat(id).matches(REQUEST_ID).isNotEqualTo(offered);
        assertThat(error(response.body()).get("request_id").asString()).isEqualTo(id);
    }
}
