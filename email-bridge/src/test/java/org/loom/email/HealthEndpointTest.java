package org.loom.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.loom.email.it.RunningEmailBridge;
import org.loom.protocol.json.LoomJson;

class HealthEndpointTest extends RunningEmailBridge {

    @Test
    void reportsUpOnTheActuatorHealthEndpoint() throws Exception {
        HttpResponse<String> response = get("/actuator/health", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(LoomJson.parse(response.body()).get("status").asString()).isEqualTo("UP");
    }
}
