package org.loom.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class CanonicalJsonTest {

    /** The envelope of REF §2.6 as a client would send it, {@code meta} included. */
    static final String REFERENCE_ENVELOPE = """
            {"loom":"1.1","id":"env_01ARZ3NDEKTSV4RRFFQ69G5FAV","thread_id":"thr_01ARZ3NDEKTSV4RRFFQ69G5FAW",
             "parent_id":null,"type":"message",
             "from":{"identity":"loom://alice@node.test","display":"Alice","key_id":"k_sign_alice_1","type":"human"},
             "to":[{"identity":"loom://bob@node.test","role":"primary"}],
             "created_at":"2026-02-16T20:00:00Z","priority":"normal",
             "content":{"human":{"text":"Hello é ✓","format":"markdown"},
                        "structured":{"intent":"message.general@v1",
                                      "parameters":{"b":1.0,"a":[true,null],"10":"x","9":"y","Zed":1,"a_b":2,"aB":3}},
                        "encrypted":false},
             "attachments":[],"meta":{"node_id":"ignored"}}""";

    /** Its canonical string as REF §2.6 documents it. */
    static final String REFERENCE_LEGACY_CANONICAL = "{\"attachments\":[],\"content\":{\"encrypted\":false,\"human\":"
            + "{\"format\":\"markdown\",\"text\":\"Hello é ✓\"},\"structured\":{\"intent\":\"message.general@v1\","
            + "\"parameters\":{\"9\":\"y\",\"10\":\"x\",\"a\":[true,null],\"a_b\":2,\"aB\":3,\"b\":1,\"Zed\":1}}},"
            + "\"created_at\":\"2026-02-16T20:00:00Z\",\"from\":{\"display\":\"Alice\",\"identity\":"
            + "\"loom://alice@node.test\",\"key_id\":\"k_sign_alice_1\",\"type\":\"human\"},\"id\":"
            + "\"env_01ARZ3NDEKTSV4RRFFQ69G5FAV\",\"loom\":\"1.1\",\"parent_id\":null,\"priority\":\"normal\","
            + "\"thread_id\":\"thr_01ARZ3NDEKTSV4RRFFQ69G5FAW\",\"to\":[{\"identity\":\"loom://bob@node.test\","
            + "\"role\":\"primary\"}],\"type\":\"message\"}";

    @Test
    void producesTheExpectedTextForEveryCanonicalJsonVector() {
        int checked = 0;
        for (JsonNode vector : ReferenceVectors.load("canonical-json-v1.json").get("vectors")) {
            if (vector.has("expected")) {
                String expected = vector.get("expected").stringValue();
                assertThat(CanonicalJson.rfc8785(vector.get("input"))).as(vector.get("id").stringValue())
                        .isEqualTo(expected);
                assertThat(CanonicalJson.legacy(vector.get("input"))).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(2);
    }

    @Test
    void rejectsLoneSurrogatesAsTheVectorRequires() {
        JsonNode vector = vectorById("rejects-lone-surrogates");
        assertThat(vector.get("input").get("bad").stringValue()).isEqualTo("\ud800");
        assertThatThrownBy(() -> CanonicalJson.rfc8785(vector.get("input")))
                .isInstanceOfSatisfying(LoomException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVELOPE_INVALID))
                .hasMessageContaining(vector.get("expected_error").stringValue());
    }

    @Test
    void rejectsALoneSurrogateInAMemberName() {
        assertThatThrownBy(() -> CanonicalJson.rfc8785(LoomJson.parse("{\"a\\udc00\":1}")))
                .isInstanceOf(LoomException.class)
                .hasMessageContaining("unpaired surrogate");
    }

    @Test
    void legacyEscapesLoneSurrogatesInLowercase() {
        JsonNode value = LoomJson.parse("{\"x\":\"a\\uD800b\\uDFFF\",\"y\":\"\\ud83d\\ude00\"}");
        assertThat(CanonicalJson.legacy(value)).isEqualTo("{\"x\":\"a\\ud800b\\udfff\",\"y\":\"😀\"}");
    }

    @Test
    void legacyFormOfTheReferenceEnvelopeIsTheDocumentedString() {
        ObjectNode envelope = (ObjectNode) LoomJson.parse(REFERENCE_ENVELOPE);
        ObjectNode unsigned = CanonicalJson.withoutTopLevel(envelope, "signature", "meta");
        assertThat(CanonicalJson.legacy(unsigned)).isEqualTo(REFERENCE_LEGACY_CANONICAL);
        assertThat(CanonicalJson.legacyBytes(unsigned))
                .isEqualTo(REFERENCE_LEGACY_CANONICAL.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rfc8785OrdersTheReferenceParametersByCodeUnits() {
        ObjectNode envelope = (ObjectNode) LoomJson.parse(REFERENCE_ENVELOPE);
        String canonical = CanonicalJson.rfc8785(CanonicalJson.withoutTopLevel(envelope, "signature", "meta"));
        String expectedParameters = "\"parameters\":{\"10\":\"x\",\"9\":\"y\",\"Zed\":1,\"a\":[true,null],"
                + "\"aB\":3,\"a_b\":2,\"b\":1}";
        assertThat(canonical).contains(expectedParameters);
        // Everything except the parameters member is the same in both forms: the other names are lowercase.
        String legacyParameters = "\"parameters\":{\"9\":\"y\",\"10\":\"x\",\"a\":[true,null],\"a_b\":2,\"aB\":3,"
                + "\"b\":1,\"Zed\":1}";
        assertThat(canonical).isEqualTo(REFERENCE_LEGACY_CANONICAL.replace(legacyParameters, expectedParameters));
    }

    @Test
    void legacyOrderFollowsRootCollation() {
        ObjectNode object = LoomJson.mapper().createObjectNode();
        for (String name : List.of("Ab", "aB", "ab", "aa", "a1", "a.b", "a-b", "a_b")) {
            object.put(name, 0);
        }
        assertThat(namesOf(CanonicalJson.legacy(object)))
                .containsExactly("a_b", "a-b", "a.b", "a1", "aa", "ab", "aB", "Ab");
        assertThat(namesOf(CanonicalJson.rfc8785(object)))
                .containsExactly("Ab", "a-b", "a.b", "a1", "aB", "a_b", "aa", "ab");
    }

    @Test
    void legacyOrderPutsArrayIndexNamesFirstInNumericOrder() {
        ObjectNode object = LoomJson.mapper().createObjectNode();
        for (String name : List.of("b", "10", "9", "a", "-1", "01", "4294967295", "4294967294")) {
            object.put(name, 0);
        }
        assertThat(namesOf(CanonicalJson.legacy(object)))
                .containsExactly("9", "10", "4294967294", "-1", "01", "4294967295", "a", "b");
        assertThat(namesOf(CanonicalJson.rfc8785(object)))
                .containsExactly("-1", "01", "10", "4294967294", "4294967295", "9", "a", "b");
    }

    @Test
    void recognisesExactlyTheCanonicalArrayIndices() {
        assertThat(CanonicalJson.isArrayIndex("0")).isTrue();
        assertThat(CanonicalJson.isArrayIndex("4294967294")).isTrue();
        assertThat(CanonicalJson.isArrayIndex("4294967295")).isFalse();
        assertThat(CanonicalJson.isArrayIndex("00")).isFalse();
        assertThat(CanonicalJson.isArrayIndex("01")).isFalse();
        assertThat(CanonicalJson.isArrayIndex("-1")).isFalse();
        assertThat(CanonicalJson.isArrayIndex("+1")).isFalse();
        assertThat(CanonicalJson.isArrayIndex("1.0")).isFalse();
        assertThat(CanonicalJson.isArrayIndex("")).isFalse();
        assertThat(CanonicalJson.isArrayIndex("99999999999")).isFalse();
        assertThat(CanonicalJson.isArrayIndex("١")).isFalse();
    }

    @Test
    void legacyDropsMembersNamedProtoButRfc8785KeepsThem() {
        JsonNode value = LoomJson.parse("{\"b\":1,\"__proto__\":{\"x\":1},\"a\":{\"__proto__\":null,\"c\":2}}");
        assertThat(CanonicalJson.legacy(value)).isEqualTo("{\"a\":{\"c\":2},\"b\":1}");
        assertThat(CanonicalJson.rfc8785(value))
                .isEqualTo("{\"__proto__\":{\"x\":1},\"a\":{\"__proto__\":null,\"c\":2},\"b\":1}");
    }

    @Test
    void legacyKeepsParseOrderForNamesTheCollatorFindsEqual() {
        String composed = "\u00e9";
        String decomposed = "e\u0301";
        ObjectNode first = LoomJson.mapper().createObjectNode().put(composed, 1).put(decomposed, 2).put("f", 3);
        ObjectNode second = LoomJson.mapper().createObjectNode().put(decomposed, 2).put(composed, 1).put("f", 3);
        assertThat(namesOf(CanonicalJson.legacy(first))).containsExactly(composed, decomposed, "f");
        assertThat(namesOf(CanonicalJson.legacy(second))).containsExactly(decomposed, composed, "f");
        // Code-unit order does not depend on the input order.
        assertThat(CanonicalJson.rfc8785(first)).isEqualTo(CanonicalJson.rfc8785(second));
    }

    @Test
    void sortsByUtf16CodeUnitsNotCodePoints() {
        // U+FF21 is above the high surrogates as a code unit, below U+1F600 as a code point.
        ObjectNode object = LoomJson.mapper().createObjectNode().put("😀", 1).put("\uff21", 2).put("\u00e9", 3);
        assertThat(namesOf(CanonicalJson.rfc8785(object))).containsExactly("\u00e9", "😀", "\uff21");
    }

    @Test
    void escapesStringsAsJsonStringifyDoes() {
        ObjectNode object = LoomJson.mapper().createObjectNode()
                .put("s", "q\" b\\ \b\f\n\r\t \u0000\u001f / \u007f \u2028\u2029 é ✓ 😀");
        assertThat(CanonicalJson.rfc8785(object))
                .isEqualTo("{\"s\":\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0000\\u001f / \u007f \u2028\u2029 é ✓ 😀\"}");
    }

    @Test
    void convertsEveryNumberToADoubleFirst() {
        JsonNode value = LoomJson.parse("[12345678901234567890, 9007199254740993, 1.0, -0.0, 1e2]");
        assertThat(CanonicalJson.rfc8785(value)).isEqualTo("[12345678901234567000,9007199254740992,1,0,100]");
    }

    @Test
    void refusesNonFiniteNumbers() {
        ObjectNode object = LoomJson.mapper().createObjectNode().put("x", Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> CanonicalJson.rfc8785(object)).isInstanceOf(LoomException.class);
        assertThatThrownBy(() -> CanonicalJson.legacy(object)).isInstanceOf(LoomException.class);
    }

    @Test
    void sortsNestedObjectsInsideArrays() {
        JsonNode value = LoomJson.parse("{\"z\":[{\"b\":1,\"a\":{\"d\":1,\"c\":2}}],\"y\":{}}");
        assertThat(CanonicalJson.rfc8785(value)).isEqualTo("{\"y\":{},\"z\":[{\"a\":{\"c\":2,\"d\":1},\"b\":1}]}");
    }

    @Test
    void withoutTopLevelDropsOnlyTopLevelMembersAndKeepsOrder() {
        ObjectNode envelope = (ObjectNode) LoomJson.parse(
                "{\"z\":1,\"signature\":{\"value\":\"x\"},\"from\":{\"signature\":\"kept\",\"meta\":1},"
                        + "\"meta\":{},\"a\":2}");
        ObjectNode unsigned = CanonicalJson.withoutTopLevel(envelope, "signature", "meta");
        assertThat(LoomJson.write(unsigned))
                .isEqualTo("{\"z\":1,\"from\":{\"signature\":\"kept\",\"meta\":1},\"a\":2}");
        assertThat(envelope.has("signature")).as("the input is not modified").isTrue();
        assertThat(envelope.has("meta")).isTrue();
    }

    @Test
    void legacyOrderMatchesJavaScriptForEveryOracleNameSet() {
        JsonNode oracle = LoomJson.parse(ReferenceVectors.resource("/org/loom/protocol/json/legacy-order-oracle.json"));
        List<String> mismatches = new ArrayList<>();
        for (JsonNode sample : oracle.get("key_orders")) {
            ObjectNode object = LoomJson.mapper().createObjectNode();
            sample.get("keys").forEach(name -> object.put(name.stringValue(), 0));
            List<String> expected = new ArrayList<>();
            sample.get("expected").forEach(name -> expected.add(name.stringValue()));
            List<String> actual = namesOf(CanonicalJson.legacy(object));
            if (!actual.equals(expected)) {
                mismatches.add(sample.get("keys") + ": expected " + expected + " got " + actual);
            }
        }
        assertThat(oracle.get("key_orders").size()).isGreaterThanOrEqualTo(400);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void legacyTextMatchesJavaScriptForEveryOracleDocument() {
        JsonNode oracle = LoomJson.parse(ReferenceVectors.resource("/org/loom/protocol/json/legacy-order-oracle.json"));
        List<String> mismatches = new ArrayList<>();
        for (JsonNode sample : oracle.get("documents")) {
            String actual = CanonicalJson.legacy(LoomJson.parse(sample.get("input").stringValue()));
            String expected = sample.get("expected").stringValue();
            if (!actual.equals(expected)) {
                mismatches.add("expected " + expected + "\n     got " + actual);
            }
        }
        assertThat(oracle.get("documents").size()).isGreaterThanOrEqualTo(200);
        assertThat(mismatches).isEmpty();
    }

    private static JsonNode vectorById(String id) {
        for (JsonNode vector : ReferenceVectors.load("canonical-json-v1.json").get("vectors")) {
            if (vector.get("id").stringValue().equals(id)) {
                return vector;
            }
        }
        throw new AssertionError("no vector " + id);
    }

    /** Top-level member names of a JSON object text, in text order. */
    private static List<String> namesOf(String objectText) {
        List<String> names = new ArrayList<>();
        LoomJson.parse(objectText).properties().forEach(member -> names.add(member.getKey()));
        return names;
    }
}
