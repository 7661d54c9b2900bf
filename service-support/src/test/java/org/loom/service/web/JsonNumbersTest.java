package org.loom.service.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;

class JsonNumbersTest {

    private static JsonNode limit(String json) {
        return LoomJson.parse("{\"limit\":" + json + "}").get("limit");
    }

    @Test
    void keepsNumbersInsideTheRange() {
        assertThat(JsonNumbers.clamp(limit("42"), 1, 200)).isEqualTo(42);
        assertThat(JsonNumbers.clamp(limit("42.9"), 1, 200)).isEqualTo(42);
    }

    @Test
    void clampsNumbersBeyondAnyJavaType() {
        assertThat(JsonNumbers.clamp(limit("1e400"), 1, 200)).isEqualTo(200);
        assertThat(JsonNumbers.clamp(limit("-1e400"), 1, 200)).isEqualTo(1);
        assertThat(JsonNumbers.clamp(limit("1.5e9999999999"), 1, 200)).isEqualTo(200);
        assertThat(JsonNumbers.clamp(limit("123456789012345678901234567890123456789"), 1, 200)).isEqualTo(200);
        assertThat(JsonNumbers.clamp(limit("-9223372036854775809"), 1, 200)).isEqualTo(1);
        assertThat(JsonNumbers.clamp(limit("1e-400"), 1, 200)).isEqualTo(1);
        assertThat(JsonNumbers.clamp(limit("2147483648"), Integer.MIN_VALUE, Integer.MAX_VALUE))
                .isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void refusesWhatIsNotANumber() {
        assertThatThrownBy(() -> JsonNumbers.clamp(limit("\"5\""), 1, 200))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
