package org.loom.protocol.json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON as the wire has it: one shared, thread-safe Jackson mapper, reading with the rules a JavaScript peer's
 * {@code JSON.parse} applies and writing trees in {@code JSON.stringify} form.
 *
 * <p>Reading: strict JSON (no comments, trailing commas or other extensions), nothing after the value, and for a
 * repeated member name the last value wins while the member keeps the place where the name first appeared. An empty
 * or whitespace-only body is the empty object. Unknown properties are ignored when binding records.
 *
 * <p>Writing: {@link #write} must be used for trees that go back on the wire. Jackson's own writer prints doubles
 * in Java's form ({@code 1.0}, {@code 1.0E21}), which a peer would not recognise as the number it signed.
 */
public final class LoomJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Duplicate names are legal JSON; ObjectNode replaces the value in place, which is the JavaScript outcome.
            .disable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private static final String[] REASON_TAILS = {"\n", " (start marker at", ": enable `"};

    private static final JsonTextWriter WIRE = new JsonTextWriter(
            JsonTextWriter::insertionOrder, JsonTextWriter.LoneSurrogates.ESCAPE, JsonTextWriter.NonFinite.AS_NULL);

    private LoomJson() {
    }

    /**
     * The shared mapper, for binding records and building nodes. Jackson 3 mappers are immutable; derive a variant
     * with {@code rebuild()} rather than expecting to change this one.
     */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /**
     * Parses a request body.
     *
     * @throws LoomException {@code ENVELOPE_INVALID} "Request body must be valid JSON" with the parser's reason
     */
    public static JsonNode parse(String text) {
        if (isBlank(text)) {
            return MAPPER.createObjectNode();
        }
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    /**
     * {@link #parse(String)} for a body in UTF-8. Bytes that are not UTF-8 make the body invalid; they are decoded
     * here rather than by Jackson, which would also accept UTF-16 and UTF-32 text.
     */
    public static JsonNode parse(byte[] utf8) {
        if (utf8 == null) {
            return MAPPER.createObjectNode();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalidBody("Body is not valid UTF-8", e);
        }
        return parse(text);
    }

    /**
     * Compact JSON text of a tree with members in their stored order, numbers in ECMAScript form, strings escaped as
     * {@code JSON.stringify} escapes them (unpaired surrogates as {@code \\udxxx}); NaN and infinities become
     * {@code null}.
     */
    public static String write(JsonNode node) {
        return WIRE.write(node);
    }

    /** {@link #write} as UTF-8 bytes. */
    public static byte[] writeBytes(JsonNode node) {
        return write(node).getBytes(StandardCharsets.UTF_8);
    }

    private static LoomException malformed(JacksonException e) {
        String reason = e.getOriginalMessage();
        if (reason == null || reason.isBlank()) {
            reason = e.getClass().getSimpleName();
        }
        if (reason.startsWith("Trailing token")) {
            return invalidBody("Unexpected content after the JSON value", e);
        }
        // Keep the parser's first statement; drop source locations and hints about the parser's own settings.
        for (String tail : REASON_TAILS) {
            int at = reason.indexOf(tail);
            if (at > 0) {
                reason = reason.substring(0, at);
            }
        }
        return invalidBody(reason, e);
    }

    private static LoomException invalidBody(String reason, Exception cause) {
        return new LoomException(ErrorCode.ENVELOPE_INVALID, "Request body must be valid JSON",
                LoomException.details("reason", reason), cause);
    }

    private static boolean isBlank(String text) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isJsonWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    // The four characters RFC 8259 calls insignificant whitespace.
    private static boolean isJsonWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
