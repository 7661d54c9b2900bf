package org.loom.protocol.json;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.loom.protocol.error.LoomException;

import tools.jackson.databind.JsonNode;

/**
 * Compact JSON text in the form {@code JSON.stringify} gives it: no whitespace, ECMAScript numbers, and its string
 * escaping. What varies between the node's outputs is only the order of object members and how unpaired surrogates
 * are treated, so those two are the parameters.
 */
final class JsonTextWriter {

    /** What to do with a string that holds half of a surrogate pair. */
    enum LoneSurrogates {
        /** Write it as a lowercase {@code \\udxxx} escape, as {@code JSON.stringify} does. */
        ESCAPE,
        /** Refuse the whole value: RFC 8785 works on Unicode text, which cannot hold one. */
        REJECT
    }

    /** What to do with NaN and the infinities, which a tree built in code (never a parsed one) may hold. */
    enum NonFinite {
        /** Write {@code null}, as {@code JSON.stringify} does. */
        AS_NULL,
        /** Refuse the whole value. */
        REJECT
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Function<JsonNode, List<String>> memberOrder;
    private final LoneSurrogates loneSurrogates;
    private final NonFinite nonFinite;

    /**
     * @param memberOrder gives, for an object node, the names of the members to write in the order to write them
     *                    (a name may be left out to drop its member)
     */
    JsonTextWriter(Function<JsonNode, List<String>> memberOrder, LoneSurrogates loneSurrogates, NonFinite nonFinite) {
        this.memberOrder = memberOrder;
        this.loneSurrogates = loneSurrogates;
        this.nonFinite = nonFinite;
    }

    /** Member names in the order the object holds them. */
    static List<String> insertionOrder(JsonNode object) {
        List<String> names = new ArrayList<>(object.size());
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            names.add(member.getKey());
        }
        return names;
    }

    String write(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        writeValue(node, out);
        return out.toString();
    }

    private void writeValue(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out);
            case ARRAY -> writeArray(node, out);
            case STRING -> writeString(node.stringValue(), out);
            case NUMBER -> writeNumber(node, out);
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            // Jackson writes binary content as base64 text; keep that so such a tree still has one JSON form.
            case BINARY -> writeString(Base64.getEncoder().encodeToString(node.binaryValue()), out);
            default -> throw new IllegalArgumentException("Not a JSON value: " + node.getNodeType());
        }
    }

    private void writeObject(JsonNode object, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (String name : memberOrder.apply(object)) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(name, out);
            out.append(':');
            writeValue(object.get(name), out);
        }
        out.append('}');
    }

    private void writeArray(JsonNode array, StringBuilder out) {
        out.append('[');
        for (int i = 0; i < array.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeValue(array.get(i), out);
        }
        out.append(']');
    }

    private void writeNumber(JsonNode number, StringBuilder out) {
        // Every JSON number is a double to a JavaScript peer: wider integers and decimals lose precision the same way,
        // and those beyond the double range become infinite (JsonNode.doubleValue would throw for them instead).
        double value = number.numberValue().doubleValue();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            if (nonFinite == NonFinite.REJECT) {
                throw LoomException.invalid("JSON numbers must be finite",
                        LoomException.details("value", Double.toString(value)));
            }
            out.append("null");
            return;
        }
        out.append(EcmaNumbers.format(value));
    }

    private void writeString(String text, StringBuilder out) {
        out.append('"');
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        appendUnicodeEscape(c, out);
                    } else if (startsSurrogatePair(text, i)) {
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        if (loneSurrogates == LoneSurrogates.REJECT) {
                            throw LoomException.invalid("JSON text holds an unpaired surrogate",
                                    LoomException.details("code_unit", String.format("U+%04X", (int) c)));
                        }
                        appendUnicodeEscape(c, out);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean startsSurrogatePair(String text, int index) {
        return Character.isHighSurrogate(text.charAt(index))
                && index + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(index + 1));
    }

    private static void appendUnicodeEscape(char c, StringBuilder out) {
        out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }
}
