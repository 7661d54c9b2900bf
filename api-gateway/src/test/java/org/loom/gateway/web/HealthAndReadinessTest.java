package org.loom.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.loom.protocol.time.Timestamps;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class HealthAndReadinessTest extends GuardedGateway {

    @Autowired
    private SwitchableReadinessCheck testSwitch;

    @Test
    void reportsHealthAsLoomNode() throws Exception {
        HttpResponse<String> response = send(request("/health").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response.body());
        assertThat(body.get("ok").asBoolean()).isTrue();
        assertThat(body.get("service").asString()).isEqualTo("loom-node");
        assertThat(body.get("timestamp").asString()).matches(".*\\.\\d{3}Z");
        assertThat(Timestamps.isValid(body.get("timestamp").asString())).isTrue();
    }

    @Test
    void answersFaviconWithNoContent() throws Exception {
        HttpResponse<String> response = send(request("/favicon.ico").GET().build());

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void isReadyWhenDatabaseAndBrokerAnswer() throws Exception {
        HttpResponse<String> response = send(request("/ready").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response.body());
        assertThat(body.get("ready").asBoolean()).isTrue();
        assertThat(body.get("ok").asBoolean()).isTrue();
        assertThat(body.get("service").asString()).isEqualTo("loom-node");
        assertThat(body.get("checks").get("database").asString()).isEqualTo("ok");
        assertThat(body.get("checks").get("kafka").asString()).isEqualTo("ok");
    }

    @Test
    void isNotReadyWhileAnyCheckFails() throws Exception {
        testSwitch.set(false);
        try {
            HttpResponse<String> response = send(request("/ready").GET().build());

            assertThat(response.statusCode()).isEqualTo(503);
            JsonNode body = json(response.body());
            assertThat(body.get("ready").asBoolean()).isFalse();
            assertThat(body.get("checks").get("test_switch").asString()).isEqualTo("failing");
            assertThat(body.get("checks").get("database").asString()).isEqualTo("ok");
        } finally {
            testSwitch.set(true);
        }
    }
}
