package org.loom.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class LoomJsonTest {

    record Sample(String name, int count) {
    }

    @Test
    void repeatedNameKeepsFirstPositionAndLastValue() {
        JsonNode parsed = LoomJson.parse("{\"a\":1,\"b\":2,\"a\":{\"x\":3}}");
        assertThat(LoomJson.write(parsed)).isEqualTo("{\"a\":{\"x\":3},\"b\":2}");
    }

    @Test
    void repeatedNameRulesApplyToByteInputAndNestedObjects() {
        JsonNode parsed = LoomJson.parse("{\"o\":{\"k\":true,\"j\":0,\"k\":false}}".getBytes(StandardCharsets.UTF_8));
        assertThat(LoomJson.write(parsed)).isEqualTo("{\"o\":{\"k\":false,\"j\":0}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t\r "})
    void emptyOrWhitespaceBodyIsAnEmptyObject(String body) {
        assertThat(LoomJson.parse(body)).isEqualTo(LoomJson.mapper().createObjectNode());
        assertThat(LoomJson.parse(body.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(LoomJson.mapper().createObjectNode());
    }

    @Test
    void nullBodyIsAnEmptyObject() {
        assertThat(LoomJson.parse((String) null).isObject()).isTrue();
        assertThat(LoomJson.parse((byte[]) null).isObject()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\":1} x", "{\"a\":1}{}", "{'a':1}", "{a:1}", "{\"a\":01}", "{\"a\":1,}",
        "[1,]", "{\"a\":NaN}", "// c\n{}", "{\"a\":\"\t\"}", "\u00a0{}", "{\"a\":.5}", "{\"a\":+1}"})
    void rejectsTextThatIsNotStrictJson(String body) {
        assertThatThrownBy(() -> LoomJson.parse(body))
                .isInstanceOfSatisfying(LoomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ENVELOPE_INVALID);
                    assertThat(e.getMessage()).isEqualTo("Request body must be valid JSON");
                    assertThat(e.details()).containsOnlyKeys("reason");
                    assertThat((String) e.details().get("reason"))
                            .isNotBlank()
                            .doesNotContain("\n")
                            .doesNotContain("Source")
                            .doesNotContain("`");
                });
    }

    @Test
    void rejectsBytesThatAreNotUtf8() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> LoomJson.parse(body))
                .isInstanceOfSatisfying(LoomException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVELOPE_INVALID));
    }

    @Test
    void rejectsUtf16EvenThoughItWouldBeRecognisable() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> LoomJson.parse(body)).isInstanceOf(LoomException.class);
    }

    @Test
    void readsNumbersBeyondTheDoubleRangeAsJavaScriptDoesButCanonicalFormsRefuseThem() {
        JsonNode parsed = LoomJson.parse("{\"big\":1e400,\"huge\":1" + "0".repeat(400) + ",\"tiny\":1e-400}");
        assertThat(parsed.get("big").numberValue().doubleValue()).isInfinite();
        assertThat(parsed.get("huge").numberValue().doubleValue()).isInfinite();
        assertThat(LoomJson.write(parsed)).isEqualTo("{\"big\":null,\"huge\":null,\"tiny\":0}");
        assertThatThrownBy(() -> CanonicalJson.rfc8785(parsed))
                .isInstanceOfSatisfying(LoomException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVELOPE_INVALID));
    }

    @Test
    void parsesTopLevelScalarsAsJavaScriptDoes() {
        assertThat(LoomJson.parse("null").isNull()).isTrue();
        assertThat(LoomJson.parse(" 42 ").intValue()).isEqualTo(42);
        assertThat(LoomJson.parse("\"x\"").stringValue()).isEqualTo("x");
    }

    @Test
    void writesNumbersInEcmaScriptForm() {
        JsonNode parsed = LoomJson.parse(
                "{\"a\":1.0,\"b\":1e21,\"c\":12345678901234567890,\"d\":-0.0,\"e\":0.1,\"f\":1E-7,\"g\":-5}");
        assertThat(LoomJson.write(parsed))
                .isEqualTo("{\"a\":1,\"b\":1e+21,\"c\":12345678901234567000,\"d\":0,\"e\":0.1,\"f\":1e-7,\"g\":-5}");
    }

    @Test
    void writesMembersInStoredOrderWithStringifyEscaping() {
        ObjectNode object = LoomJson.mapper().createObjectNode()
                .put("z", "line\nbreak \u0001 / \u2028")
                .put("10", true)
                .put("a", "lone \udc00");
        object.putNull("n");
        assertThat(LoomJson.write(object))
                .isEqualTo("{\"z\":\"line\\nbreak \\u0001 / \u2028\",\"10\":true,\"a\":\"lone \\udc00\",\"n\":null}");
    }

    @Test
    void writesNonFiniteNumbersAsNull() {
        ObjectNode object = LoomJson.mapper().createObjectNode()
                .put("x", Double.NaN)
                .put("y", Double.NEGATIVE_INFINITY);
        assertThat(LoomJson.write(object)).isEqualTo("{\"x\":null,\"y\":null}");
    }

    @Test
    void writeBytesIsUtf8OfWrite() {
        JsonNode parsed = LoomJson.parse("{\"t\":\"é ✓ 😀\"}");
        assertThat(LoomJson.writeBytes(parsed)).isEqualTo(LoomJson.write(parsed).getBytes(StandardCharsets.UTF_8));
        assertThat(LoomJson.parse(LoomJson.writeBytes(parsed))).isEqualTo(parsed);
    }

    @Test
    void bindsRecordsIgnoringUnknownProperties() {
        Sample sample = LoomJson.mapper()
                .readValue("{\"name\":\"x\",\"count\":3,\"extra\":{\"deep\":[1]}}", Sample.class);
        assertThat(sample).isEqualTo(new Sample("x", 3));
    }

    @Test
    void returnsTheSameSharedMapper() {
        assertThat(LoomJson.mapper()).isSameAs(LoomJson.mapper());
    }
}
