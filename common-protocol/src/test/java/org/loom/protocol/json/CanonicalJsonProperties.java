package org.loom.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Canonical forms over arbitrary nested JSON, with names and strings across all of Unicode and numbers across all
 * doubles. Documents come from a plain random builder rather than composed arbitraries: composing nested
 * containers makes generation (and its edge-case enumeration) cost far more than the checks. Failures print the
 * whole document instead of a shrunk one.
 */
class CanonicalJsonProperties {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // Numbers are equal when a JavaScript peer would see the same double; everything else compares as usual.
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.doubleValue() == b.doubleValue() ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
    };

    @Property(tries = 300)
    void rfc8785TextReadsBackAsAnEqualValue(@ForAll("documents") JsonNode document) {
        JsonNode reread = LoomJson.parse(CanonicalJson.rfc8785(document));
        assertThat(reread.equals(SAME_VALUE, document)).as("reread %s", reread).isTrue();
    }

    @Property(tries = 300)
    void legacyTextReadsBackAsAnEqualValue(@ForAll("documents") JsonNode document) {
        JsonNode reread = LoomJson.parse(CanonicalJson.legacy(document));
        assertThat(reread.equals(SAME_VALUE, document)).as("reread %s", reread).isTrue();
    }

    @Property(tries = 300)
    void rfc8785TextDoesNotDependOnMemberOrder(@ForAll("documents") JsonNode document, @ForAll long seed) {
        JsonNode shuffled = shuffled(document, new Random(seed));
        assertThat(CanonicalJson.rfc8785(shuffled)).isEqualTo(CanonicalJson.rfc8785(document));
    }

    @Property(tries = 300)
    void legacyTextDoesNotDependOnMemberOrder(@ForAll("asciiNamedDocuments") JsonNode document, @ForAll long seed) {
        // Only names the collator can tell apart: for equal ones, such as NFC and NFD spellings, input order decides.
        JsonNode shuffled = shuffled(document, new Random(seed));
        assertThat(CanonicalJson.legacy(shuffled)).isEqualTo(CanonicalJson.legacy(document));
    }

    @Property(tries = 300)
    void canonicalisingTwiceChangesNothing(@ForAll("documents") JsonNode document) {
        String once = CanonicalJson.rfc8785(document);
        assertThat(CanonicalJson.rfc8785(LoomJson.parse(once))).isEqualTo(once);
        String legacyOnce = CanonicalJson.legacy(document);
        assertThat(CanonicalJson.legacy(LoomJson.parse(legacyOnce))).isEqualTo(legacyOnce);
    }

    @Property(tries = 300)
    void wireTextReadsBackAsAnEqualValueInTheSameOrder(@ForAll("documents") JsonNode document) {
        String written = LoomJson.write(document);
        assertThat(LoomJson.write(LoomJson.parse(written))).isEqualTo(written);
        assertThat(LoomJson.parse(written).equals(SAME_VALUE, document)).isTrue();
    }

    @Provide
    Arbitrary<JsonNode> documents() {
        return Arbitraries.randomValue(random -> object(random, CanonicalJsonProperties::unicodeText, 3));
    }

    @Provide
    Arbitrary<JsonNode> asciiNamedDocuments() {
        return Arbitraries.randomValue(random -> object(random, CanonicalJsonProperties::printableAscii, 3));
    }

    private static JsonNode value(Random random, Function<Random, String> names, int depth) {
        int kind = random.nextInt(depth == 0 ? 6 : 8);
        return switch (kind) {
            case 0 -> NODES.numberNode(anyFiniteDouble(random));
            case 1 -> NODES.numberNode(random.nextInt(2_000_001) - 1_000_000 + random.nextInt(1000) / 1000.0);
            case 2 -> NODES.numberNode(random.nextLong());
            case 3, 4 -> NODES.stringNode(unicodeText(random));
            case 5 -> switch (random.nextInt(3)) {
                case 0 -> NODES.nullNode();
                case 1 -> NODES.booleanNode(true);
                default -> NODES.booleanNode(false);
            };
            case 6 -> array(random, names, depth - 1);
            default -> object(random, names, depth - 1);
        };
    }

    private static JsonNode object(Random random, Function<Random, String> names, int depth) {
        ObjectNode object = NODES.objectNode();
        int size = random.nextInt(7);
        for (int i = 0; i < size; i++) {
            String name = names.apply(random);
            if (!name.equals("__proto__")) {
                object.set(name, value(random, names, depth));
            }
        }
        return object;
    }

    private static JsonNode array(Random random, Function<Random, String> names, int depth) {
        ArrayNode array = NODES.arrayNode();
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
            array.add(value(random, names, depth));
        }
        return array;
    }

    private static double anyFiniteDouble(Random random) {
        double value;
        do {
            value = Double.longBitsToDouble(random.nextLong());
        } while (Double.isNaN(value) || Double.isInfinite(value));
        return value;
    }

    /** Whole code points: ASCII (controls included) three times in four, any Unicode scalar value otherwise. */
    private static String unicodeText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(9);
        for (int i = 0; i < length; i++) {
            int codePoint;
            if (random.nextInt(4) > 0) {
                codePoint = random.nextInt(0x80);
            } else {
                do {
                    codePoint = random.nextInt(Character.MAX_CODE_POINT + 1);
                } while (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
            }
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    private static String printableAscii(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(7);
        for (int i = 0; i < length; i++) {
            text.append((char) (' ' + random.nextInt(95)));
        }
        return text.toString();
    }

    /** A deep copy with the members of every object in a random order. */
    private static JsonNode shuffled(JsonNode node, Random random) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
            Collections.shuffle(members, random);
            ObjectNode copy = NODES.objectNode();
            members.forEach(member -> copy.set(member.getKey(), shuffled(member.getValue(), random)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.values().forEach(item -> copy.add(shuffled(item, random)));
            return copy;
        }
        return node;
    }
}
