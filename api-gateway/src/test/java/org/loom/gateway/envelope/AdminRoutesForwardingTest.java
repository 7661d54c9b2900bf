package org.loom.gateway.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Webhook and dead-letter admin routes: admin token checked at the gateway, then forwarded to the delivery-worker. */
class AdminRoutesForwardingTest extends RunningGatewayWithResponder {

    @Test
    void adminRoutesWithTheTokenAreForwardedWithTheirBodyUnchanged() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"url\":\"https://hooks.example.com/" + marker + "\",\"events\":[\"*\"]}";

        HttpResponse<String> response = admin("POST", "/v1/webhooks?m=" + marker, body, ADMIN_TOKEN);

        assertThat(response.statusCode()).isEqualTo(207);
        assertThat(FakeInternalService.get().seenUnder("/v1/webhooks?m=" + marker)).singleElement()
                .satisfies(seen -> {
                    assertThat(seen.method()).isEqualTo("POST");
                    assertThat(seen.body()).isEqualTo(body);
                    assertThat(seen.header("x-loom-admin-token")).isNull();
                });
        for (String[] route : List.of(new String[] {"GET", "/v1/webhooks?m=" + marker},
                new String[] {"DELETE", "/v1/webhooks/wh_" + marker},
                new String[] {"GET", "/v1/webhooks/outbox?webhook_id=wh_" + marker},
                new String[] {"POST", "/v1/webhooks/outbox/process?m=" + marker},
                new String[] {"POST", "/v1/webhooks/outbox/wout_" + marker + "/process"},
                new String[] {"GET", "/v1/outbox/dlq?kind=all&m=" + marker},
                new String[] {"POST", "/v1/outbox/dlq/requeue?m=" + marker},
                new String[] {"POST", "/v1/federation/outbox/fout_" + marker + "/requeue"})) {
            assertThat(admin(route[0], route[1], route[0].equals("GET") || route[0].equals("DELETE") ? null : "{}",
                    ADMIN_TOKEN).statusCode()).as(route[0] + " " + route[1]).isEqualTo(207);
            assertThat(FakeInternalService.get().seenUnder(route[1])).as(route[1]).isNotEmpty()
                    .allSatisfy(seen -> assertThat(seen.header("X-LOOM-Admin")).isEqualTo("true"));
        }
    }

    @Test
    void adminRoutesWithoutTheRightTokenAreRefusedAndNotForwarded() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);

        HttpResponse<String> missing = admin("GET", "/v1/outbox/dlq?m=" + marker, null, null);
        HttpResponse<String> wrong = admin("GET", "/v1/outbox/dlq?m=" + marker, null, ADMIN_TOKEN + "x");

        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(error(missing).path("code").asString()).isEqualTo("CAPABILITY_DENIED");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(FakeInternalService.get().seenUnder("/v1/outbox/dlq?m=" + marker)).isEmpty();

        HttpResponse<String> requeue = admin("POST", "/v1/federation/outbox/fout_" + marker + "/requeue", "{}", null);
        assertThat(requeue.statusCode()).isEqualTo(403);
        assertThat(FakeInternalService.get().seenUnder("/v1/federation/outbox/fout_" + marker)).isEmpty();
    }

    private HttpResponse<String> admin(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json");
        if (token != null) {
            request.header("x-loom-admin-token", token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
