package org.loom.gateway.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

class EnvelopeReadForwardingTest extends RunningGatewayWithResponder {

    private Sender alice;
    private String marker;

    @BeforeEach
    void identity() {
        alice = register("alice", "human");
        marker = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void readIsForwardedWithRawPathQueryActorAndRequestId() {
        String path = "/v1/threads/thr_" + marker + "/envelopes?limit=5&q=a%2Fb%20c";

        HttpResponse<String> response = get(path, alice.token());

        assertThat(response.statusCode()).isEqualTo(207);
        List<FakeInternalService.Seen> seen = FakeInternalService.get().seenUnder("/v1/threads/thr_" + marker);
        assertThat(seen).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.rawPathAndQuery()).isEqualTo(path);
            assertThat(request.header("X-LOOM-Actor")).isEqualTo(alice.identity());
            assertThat(request.header("X-LOOM-Request-Id"))
                    .isEqualTo(response.headers().firstValue("X-LOOM-Request-Id").orElseThrow())
                    .startsWith("req_");
            assertThat(request.header("Authorization")).isNull();
            assertThat(request.body()).isEmpty();
        });
    }

    @Test
    void answerOfTheInternalServiceIsReturnedAsItIs() {
        HttpResponse<String> found = get("/v1/envelopes/env_" + marker, alice.token());
        HttpResponse<String> missing = get("/v1/threads/thr_" + marker + "_missing", alice.token());

        assertThat(found.statusCode()).isEqualTo(207);
        // Tomcat writes parameters without the space after ';'; the media type itself passes unchanged.
        assertThat(MediaType.parseMediaType(found.headers().firstValue("Content-Type").orElseThrow()))
                .isEqualTo(MediaType.parseMediaType(FakeInternalService.CONTENT_TYPE));
        assertThat(found.body()).isEqualTo(FakeInternalService.BODY);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo(FakeInternalService.MISSING_BODY);
    }

    @Test
    void everyForwardedReadRoute() {
        for (String path : List.of("/v1/envelopes/env_" + marker, "/v1/threads?marker=" + marker,
                "/v1/threads/thr_" + marker, "/v1/threads/thr_" + marker + "/envelopes",
                "/v1/search?q=" + marker, "/v1/mailbox/threads/thr_" + marker, "/v1/audit?marker=" + marker)) {
            assertThat(get(path, alice.token()).statusCode()).as(path).isEqualTo(207);
            assertThat(FakeInternalService.get().seenUnder(path)).as(path).hasSize(1);
        }
    }

    @Test
    void readWithoutBearerTokenIsRefusedAndNotForwarded() {
        HttpResponse<String> response = get("/v1/threads/thr_" + marker, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response).path("code").asString()).isEqualTo("SIGNATURE_INVALID");
        assertThat(FakeInternalService.get().seenUnder("/v1/threads/thr_" + marker)).isEmpty();
    }

    @Test
    void mailboxChangesAreForwardedWithTheirBody() {
        String path = "/v1/mailbox/threads/thr_" + marker + "/archive";
        String body = "{\"add\":[\"x\"]}";

        assertThat(post(path, body, alice.token(), null).statusCode()).isEqualTo(207);

        assertThat(FakeInternalService.get().seenUnder(path)).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.body()).isEqualTo(body);
            assertThat(request.header("X-LOOM-Actor")).isEqualTo(alice.identity());
        });
    }

    @Test
    void aWrongAdminTokenIsRefusedAndAClientsOwnAdminHeaderGrantsNothing() {
        HttpResponse<String> verify = send(HttpRequest.newBuilder(gatewayUri("/v1/audit/verify"))
                .header("x-loom-admin-token", "anything").GET());
        assertThat(verify.statusCode()).isEqualTo(403);
        assertThat(error(verify).path("code").asString()).isEqualTo("CAPABILITY_DENIED");

        String path = "/v1/audit?marker=" + marker;
        HttpResponse<String> listing = send(HttpRequest.newBuilder(gatewayUri(path))
                .header("Authorization", "Bearer " + alice.token())
                .header("X-LOOM-Admin", "true")
                .GET());
        assertThat(listing.statusCode()).isEqualTo(207);
        assertThat(FakeInternalService.get().seenUnder(path)).singleElement().satisfies(request -> {
            assertThat(request.header("X-LOOM-Actor")).isEqualTo(alice.identity());
            assertThat(request.header("X-LOOM-Admin")).isNull();
        });
        assertThat(send(HttpRequest.newBuilder(gatewayUri(path)).GET()).statusCode()).isEqualTo(401);
    }

    private URI gatewayUri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
