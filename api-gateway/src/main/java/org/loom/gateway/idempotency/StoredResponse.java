package org.loom.gateway.idempotency;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The answer an idempotency record holds: an HTTP status and the JSON body text sent with it.
 *
 * <p>A refusal is stored as the protocol error body without its per-request members
 * ({@code {"error":{"code","message","details"}}}); it is replayed as that error, so the retry carries its own
 * request id and timestamp.
 *
 * @param status the HTTP status
 * @param body   the JSON body text
 */
public record StoredResponse(int status, String body) {

    public StoredResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        Objects.requireNonNull(body, "body");
    }

    /** A refusal with the given protocol error, in the form a replay turns back into that error. */
    public static StoredResponse refusal(ErrorCode code, String message, Map<String, ?> details) {
        var root = LoomJson.mapper().createObjectNode();
        var error = root.putObject("error");
        error.put("code", code.name());
        error.put("message", message);
        error.set("details", LoomJson.mapper().valueToTree(details == null ? Map.of() : details));
        return new StoredResponse(code.httpStatus(), LoomJson.write(root));
    }

    /** True for a 2xx answer. */
    public boolean successful() {
        return status >= 200 && status < 300;
    }

    /** The protocol error this answer reports, when it is a refusal in the stored error form. */
    public Optional<LoomException> asError() {
        if (successful()) {
            return Optional.empty();
        }
        JsonNode error;
        try {
            error = LoomJson.parse(body).path("error");
        } catch (LoomException | JacksonException e) {
            return Optional.empty();
        }
        ErrorCode code = errorCode(error.path("code").asString(""));
        if (code == null || code.httpStatus() != status) {
            return Optional.empty();
        }
        String message = error.path("message").isString() ? error.path("message").asString() : code.name();
        @SuppressWarnings("unchecked")
        Map<String, Object> details = error.path("details").isObject()
                ? LoomJson.mapper().convertValue(error.path("details"), Map.class)
                : Map.of();
        return Optional.of(new LoomException(code, message, details));
    }

    private static ErrorCode errorCode(String name) {
        for (ErrorCode code : ErrorCode.values()) {
            if (code.name().equals(name)) {
                return code;
            }
        }
        return null;
    }
}
