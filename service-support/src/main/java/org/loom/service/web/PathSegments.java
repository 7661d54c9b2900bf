package org.loom.service.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.loom.protocol.error.LoomException;

/**
 * Path segments as the client wrote them. Routes whose segment is itself a URI ({@code GET /v1/identity/loom%3A%2F%2Fa%40x})
 * need the segment exactly as sent: the container's decoded path has already turned {@code %2F} into a separator and
 * dropped {@code ;} parameters. Controllers therefore read the raw request URI and decode the one segment here:
 *
 * <pre>{@code
 * @GetMapping("/v1/identity/{address}")
 * ResponseEntity<byte[]> identity(HttpServletRequest request) {
 *     String address = PathSegments.decodedSegment(request, 2); // "loom://a@x"
 * }
 * }</pre>
 */
public final class PathSegments {

    private PathSegments() {
    }

    /**
     * The segments of the request's path as sent, after the context path, without decoding: {@code /v1/identity/a%40x}
     * gives {@code ["v1", "identity", "a%40x"]}. The query string is not part of the path.
     */
    public static List<String> rawSegments(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        if (context != null && !context.isEmpty() && uri.startsWith(context)) {
            uri = uri.substring(context.length());
        }
        if (uri.startsWith("/")) {
            uri = uri.substring(1);
        }
        return uri.isEmpty() ? List.of() : List.of(uri.split("/", -1));
    }

    /**
     * The segment at {@code index} (0 for the first after the context path), percent-decoded strictly.
     *
     * @throws LoomException 400 {@code ENVELOPE_INVALID} if the path has no such segment or its escapes are malformed
     */
    public static String decodedSegment(HttpServletRequest request, int index) {
        List<String> segments = rawSegments(request);
        if (index < 0 || index >= segments.size()) {
            throw LoomException.invalid("Missing path segment", LoomException.details("field", "path"));
        }
        return decode(segments.get(index));
    }

    /**
     * Decodes percent escapes the way {@code decodeURIComponent} does: every {@code %} starts two hex digits, the
     * decoded bytes must be UTF-8, and {@code +} stays a plus sign.
     *
     * @throws LoomException 400 {@code ENVELOPE_INVALID} "Malformed percent-encoding in path" {@code {field:"path"}}
     */
    public static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw malformed();
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw malformed();
                }
                bytes.write(high << 4 | low);
                i += 3;
            } else {
                int end = i + 1;
                while (end < raw.length() && raw.charAt(end) != '%') {
                    end++;
                }
                bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed();
        }
    }

    private static LoomException malformed() {
        return LoomException.invalid("Malformed percent-encoding in path", LoomException.details("field", "path"));
    }
}
