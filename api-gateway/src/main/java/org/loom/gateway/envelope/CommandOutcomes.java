package org.loom.gateway.envelope;

import java.util.Map;
import org.loom.gateway.idempotency.StoredResponse;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import tools.jackson.databind.JsonNode;

/** Turns the envelope-service's decision on a command into the gateway's answer. */
public final class CommandOutcomes {

    private CommandOutcomes() {
    }

    /**
     * The protocol error of a refusal. The body is the refusal's error, either bare ({@code {message, details}}) or
     * wrapped as in an HTTP error body ({@code {"error": {...}}}); the code is always the result's own.
     */
    public static LoomException refusal(CommandResult result) {
        JsonNode error = result.body().path("error").isObject() ? result.body().path("error") : result.body();
        JsonNode message = error.path("message");
        @SuppressWarnings("unchecked")
        Map<String, Object> details = error.path("details").isObject()
                ? LoomJson.mapper().convertValue(error.path("details"), Map.class)
                : Map.of();
        return new LoomException(result.errorCode(),
                message.isString() ? message.stringValue() : result.errorCode().name(), details);
    }

    /** The answer an idempotency record keeps for a result, so a retry gets what the original request would have. */
    static StoredResponse stored(CommandResult result) {
        if (result.refused()) {
            LoomException error = refusal(result);
            return StoredResponse.refusal(error.code(), error.getMessage(), error.details());
        }
        return new StoredResponse(result.status(), LoomJson.write(result.body()));
    }
}
