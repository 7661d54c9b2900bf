package org.loom.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitBucketTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "/v1/auth/challenge", "/v1/auth/token", "/v1/auth/refresh", "/v1/bridge/email/inbound",
        "/v1/bridge/email/send", "/v1/gateway/smtp/submit", "/v1/email/outbox", "/v1/email/outbox/process",
        "/v1/outbox/dlq/requeue", "/v1/admin/persistence/restore", "/v1/webhooks", "/v1/webhooks/outbox/process",
        "/v1/federation/deliver", "/v1/federation/challenge", "/v1/federation/outbox/process",
        "/v1/federation/nodes/bootstrap", "/v1/envelopes", "/v1/threads/thr_1/ops",
        "/v1/federation/outbox/fob_1/process", "/v1/email/outbox/eob_1/process", "/v1/webhooks/outbox/who_1/process"})
    void putsSensitivePostsInTheSensitiveBucket(String path) {
        assertThat(RateLimitBucket.of("POST", path)).isEqualTo(RateLimitBucket.SENSITIVE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/identity", "/v1/federation/nodes", "/v1/capabilities", "/v1/threads/ops",
        "/health", "/v1/federation/outbox", "/v1/blobs"})
    void putsOtherPostsInTheDefaultBucket(String path) {
        assertThat(RateLimitBucket.of("POST", path)).isEqualTo(RateLimitBucket.DEFAULT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE"})
    void putsOtherMethodsOnSensitivePathsInTheDefaultBucket(String method) {
        assertThat(RateLimitBucket.of(method, "/v1/envelopes")).isEqualTo(RateLimitBucket.DEFAULT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1//envelopes", "/v1/./envelopes", "/v1/x/../envelopes", "/v1/%65nvelopes",
        "/v1/envelopes;jsessionid=1"})
    void seesThroughRespelledSensitivePaths(String path) {
        assertThat(RateLimitBucket.of("POST", path)).isEqualTo(RateLimitBucket.SENSITIVE);
    }
}
