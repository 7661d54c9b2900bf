package org.loom.protocol.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one exception type of the node: a protocol error code, a human message and structured details, exactly what
 * the wire error body carries ({@code {"error":{"code","message","details",...}}}).
 *
 * <p>Details keep their insertion order so error bodies are stable. Values must be JSON-friendly: strings, numbers,
 * booleans, null, lists and maps of those.
 */
public class LoomException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> details;

    public LoomException(ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    public LoomException(ErrorCode code, String message, Map<String, ?> details) {
        this(code, message, details, null);
    }

    public LoomException(ErrorCode code, String message, Map<String, ?> details, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details == null ? Map.of() : details));
    }

    public ErrorCode code() {
        return code;
    }

    public int httpStatus() {
        return code.httpStatus();
    }

    public Map<String, Object> details() {
        return details;
    }

    /** Ordered details, for call sites with more than one entry: {@code details("field", "x", "reason", "y")}. */
    public static Map<String, Object> details(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("details need key/value pairs");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    public static LoomException invalid(String message, Map<String, ?> details) {
        return new LoomException(ErrorCode.ENVELOPE_INVALID, message, details);
    }

    public static LoomException signatureInvalid(String message, Map<String, ?> details) {
        return new LoomException(ErrorCode.SIGNATURE_INVALID, message, details);
    }

    public static LoomException delegationInvalid(String message, Map<String, ?> details) {
        return new LoomException(ErrorCode.DELEGATION_INVALID, message, details);
    }

    public static LoomException capabilityDenied(String message, Map<String, ?> details) {
        return new LoomException(ErrorCode.CAPABILITY_DENIED, message, details);
    }
}
