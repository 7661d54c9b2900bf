package org.loom.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.loom.gateway.web.GuardedGateway;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;

/** A gateway with no {@code LOOM_ADMIN_TOKEN}: its admin routes do not exist, whatever header a caller sends. */
class AdminRoutesWithoutTokenTest extends GuardedGateway {

    @Test
    void adminStatusIsAnUnknownRoute() throws Exception {
        assertRouteNotFound(send(request("/v1/admin/status").GET().build()), "/v1/admin/status");
        assertRouteNotFound(send(request("/v1/admin/status").header(AdminToken.HEADER, "").GET().build()),
                "/v1/admin/status");
    }

    @Test
    void metricsAreAnUnknownRouteUnlessPublic() throws Exception {
        assertRouteNotFound(send(request("/metrics").header(AdminToken.HEADER, "guess").GET().build()), "/metrics");
    }

    @Test
    void consolePageIsServedToEveryone() throws Exception {
        HttpResponse<String> page = send(request("/").GET().build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<title>LOOM node console</title>", "/console/console.js");
        HttpResponse<String> script = send(request("/console/console.js").GET().build());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("/v1/admin/status", "/v1/outbox/dlq");
        assertThat(send(request("/console/../application.yml").GET().build()).statusCode()).isEqualTo(404);
        assertThat(send(request("/console/other.js").GET().build()).statusCode()).isEqualTo(404);
    }

    private static void assertRouteNotFound(HttpResponse<String> response, String path) {
        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = LoomJson.parse(response.body()).get("error");
        assertThat(error.get("code").stringValue()).isEqualTo("ENVELOPE_NOT_FOUND");
        assertThat(error.get("message").stringValue()).isEqualTo("Route not found");
        assertThat(error.at("/details/path").stringValue()).isEqualTo(path);
    }
}
