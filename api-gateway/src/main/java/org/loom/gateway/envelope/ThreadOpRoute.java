package org.loom.gateway.envelope;

import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;

/**
 * The checks {@code POST /v1/threads/{id}/ops} makes before the envelope is validated: the body names a thread, the
 * thread in the path, and is a {@code thread_op}. After them the route behaves as {@code POST /v1/envelopes}.
 */
final class ThreadOpRoute {

    private ThreadOpRoute() {
    }

    /**
     * @throws LoomException {@code ENVELOPE_INVALID} for the first check that fails
     */
    static void check(String pathThreadId, JsonNode body) {
        JsonNode threadId = body.get("thread_id");
        if (!truthy(threadId)) {
            throw LoomException.invalid("Signed thread_op envelopes must include thread_id",
                    LoomException.details("field", "thread_id"));
        }
        if (!threadId.isString() || !threadId.stringValue().equals(pathThreadId)) {
            throw LoomException.invalid("thread_id must match path thread id",
                    LoomException.details("field", "thread_id", "path_thread_id", pathThreadId,
                            "body_thread_id", LoomJson.mapper().convertValue(threadId, Object.class)));
        }
        JsonNode type = body.get("type");
        if (type == null || !type.isString() || !"thread_op".equals(type.stringValue())) {
            throw LoomException.invalid("/v1/threads/{id}/ops requires type=thread_op",
                    LoomException.details("field", "type"));
        }
    }

    // Clients written against the reference send any JSON here; an absent thread id is any "falsy" value there.
    private static boolean truthy(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            double number = value.doubleValue();
            return number != 0 && !Double.isNaN(number);
        }
        if (value.isString()) {
            return !value.stringValue().isEmpty();
        }
        return true;
    }
}
