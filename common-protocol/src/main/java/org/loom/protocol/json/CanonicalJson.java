package org.loom.protocol.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.ibm.icu.text.Collator;
import com.ibm.icu.util.ULocale;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The canonical JSON forms that signatures are computed over.
 *
 * <ul>
 *   <li>{@link #rfc8785} is the JSON Canonicalization Scheme (RFC 8785): members sorted by UTF-16 code units at every
 *   level, ECMAScript numbers, minimal string escaping, UTF-8. The node signs with this form.</li>
 *   <li>{@link #legacy} is the order that older peers sign with (REF §2.1–2.2): members sorted by root-locale
 *   collation, then array-index names moved to the front in numeric order, and members named {@code __proto__}
 *   left out. It exists so that such signatures still verify; nothing new is signed with it.</li>
 * </ul>
 *
 * <p>Both write numbers through {@link EcmaNumbers} after converting them to double, so integers beyond 2^53 come
 * out as a JavaScript peer would have seen them. Both are safe to call from many threads.
 */
public final class CanonicalJson {

    // Frozen ICU collators are immutable and may be shared between threads; unfrozen ones may not.
    private static final Collator ROOT_COLLATOR = rootCollator();

    private static final String PROTO = "__proto__";

    // 2^32 - 2: the largest array index, and so the largest name an object puts ahead of the others.
    private static final long MAX_ARRAY_INDEX = 4_294_967_294L;

    private static final JsonTextWriter RFC8785 = new JsonTextWriter(
            CanonicalJson::codeUnitOrder, JsonTextWriter.LoneSurrogates.REJECT, JsonTextWriter.NonFinite.REJECT);

    private static final JsonTextWriter LEGACY = new JsonTextWriter(
            CanonicalJson::legacyOrder, JsonTextWriter.LoneSurrogates.ESCAPE, JsonTextWriter.NonFinite.REJECT);

    private CanonicalJson() {
    }

    /**
     * RFC 8785 canonical text of a JSON value.
     *
     * @throws org.loom.protocol.error.LoomException {@code ENVELOPE_INVALID} when a string or member name holds an
     *         unpaired surrogate, or a number is not finite
     */
    public static String rfc8785(JsonNode value) {
        return RFC8785.write(value);
    }

    /** {@link #rfc8785} as UTF-8 bytes. */
    public static byte[] rfc8785Bytes(JsonNode value) {
        return rfc8785(value).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Canonical text in the legacy member order. Unpaired surrogates are written as lowercase {@code \\udxxx}
     * escapes instead of being refused, as older peers did.
     *
     * @throws org.loom.protocol.error.LoomException {@code ENVELOPE_INVALID} when a number is not finite
     */
    public static String legacy(JsonNode value) {
        return LEGACY.write(value);
    }

    /** {@link #legacy} as UTF-8 bytes. */
    public static byte[] legacyBytes(JsonNode value) {
        return legacy(value).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A shallow copy of {@code object} without the named top-level members, keeping the order of the others.
     * Members with those names deeper down are kept: a delegation link's own {@code signature} inside an envelope
     * is part of what the envelope signature covers.
     */
    public static ObjectNode withoutTopLevel(ObjectNode object, String... names) {
        Set<String> dropped = Set.of(names);
        ObjectNode copy = object.objectNode();
        object.properties().forEach(member -> {
            if (!dropped.contains(member.getKey())) {
                copy.set(member.getKey(), member.getValue());
            }
        });
        return copy;
    }

    private static List<String> codeUnitOrder(JsonNode object) {
        List<String> names = JsonTextWriter.insertionOrder(object);
        // String.compareTo compares UTF-16 code units, which is exactly RFC 8785 §3.2.3.
        names.sort(null);
        return names;
    }

    private static List<String> legacyOrder(JsonNode object) {
        List<String> names = JsonTextWriter.insertionOrder(object);
        names.remove(PROTO);
        // List.sort is stable, so names the collator finds equal (NFC and NFD spellings) keep their parse order.
        names.sort(ROOT_COLLATOR);
        List<String> indices = new ArrayList<>();
        List<String> others = new ArrayList<>(names.size());
        for (String name : names) {
            (isArrayIndex(name) ? indices : others).add(name);
        }
        if (indices.isEmpty()) {
            return others;
        }
        String[] ordered = indices.toArray(String[]::new);
        Arrays.sort(ordered, (a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        List<String> result = new ArrayList<>(names.size());
        result.addAll(Arrays.asList(ordered));
        result.addAll(others);
        return result;
    }

    /** "0" to "4294967294" written without sign or leading zeros. */
    static boolean isArrayIndex(String name) {
        int length = name.length();
        if (length == 0 || length > 10) {
            return false;
        }
        if (name.charAt(0) == '0') {
            return length == 1;
        }
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return Long.parseLong(name) <= MAX_ARRAY_INDEX;
    }

    private static Collator rootCollator() {
        Collator collator = Collator.getInstance(ULocale.ROOT);
        collator.setStrength(Collator.TERTIARY);
        collator.setDecomposition(Collator.CANONICAL_DECOMPOSITION);
        return collator.freeze();
    }
}
