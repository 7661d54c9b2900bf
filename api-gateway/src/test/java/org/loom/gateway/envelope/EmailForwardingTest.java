package org.loom.gateway.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The email routes reach the email-bridge with the caller, the raw path and the body unchanged. */
class EmailForwardingTest extends RunningGatewayWithResponder {

    private Sender alice;
    private String marker;

    @BeforeEach
    void identity() {
        alice = register("alice", "human");
        marker = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void writesAreForwardedWithTheirBodyAndActor() {
        String body = "{\"envelope_id\":\"env_" + marker + "\"}";
        for (String path : List.of("/v1/email/outbox?m=" + marker, "/v1/bridge/email/send?m=" + marker,
                "/v1/bridge/email/outbound?m=" + marker, "/v1/bridge/email/inbound?m=" + marker,
                "/v1/gateway/smtp/submit?m=" + marker, "/v1/email/outbox/process?m=" + marker,
                "/v1/email/outbox/eout_" + marker + "/process", "/v1/email/outbox/eout_" + marker + "/requeue")) {
            HttpResponse<String> response = post(path, body, alice.token(), null);

            assertThat(response.statusCode()).as(path).isEqualTo(207);
            assertThat(FakeInternalService.get().seenUnder(path)).as(path).singleElement().satisfies(seen -> {
                assertThat(seen.method()).isEqualTo("POST");
                assertThat(seen.header("X-LOOM-Actor")).isEqualTo(alice.identity());
                assertThat(seen.body()).isEqualTo(body);
            });
        }
    }

    @Test
    void readsAreForwardedWithTheRawFolderSegment() {
        for (String path : List.of("/v1/email/outbox?status=queued&m=" + marker, "/v1/gateway/imap/folders?m=" + marker,
                "/v1/gateway/imap/folders/Sent%20Items/messages?limit=5&m=" + marker)) {
            assertThat(get(path, alice.token()).statusCode()).as(path).isEqualTo(207);
            assertThat(FakeInternalService.get().seenUnder(path)).as(path).singleElement()
                    .satisfies(seen -> assertThat(seen.rawPathAndQuery()).isEqualTo(path));
        }
    }

    @Test
    void emailRoutesNeedABearerToken() {
        HttpResponse<String> response = post("/v1/email/outbox?m=" + marker, "{}", null, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(FakeInternalService.get().seenUnder("/v1/email/outbox?m=" + marker)).isEmpty();
    }
}
