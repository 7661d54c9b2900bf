package org.loom.envelope.read;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.loom.envelope.thread.ThreadPosition;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The {@code cursor} of {@code GET /v1/threads}: an opaque token naming the last thread of a page. It encodes that
 * thread's {@code updated_at} and id, so the next page starts right after it even when threads change in between.
 */
final class ThreadListCursor {

    private ThreadListCursor() {
    }

    static String encode(ThreadPosition position) {
        ArrayNode parts = LoomJson.mapper().createArrayNode().add(position.updatedAt()).add(position.threadId());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(LoomJson.writeBytes(parts));
    }

    /**
     * The position a cursor names; empty without a cursor.
     *
     * @throws LoomException {@code ENVELOPE_INVALID} for a cursor this node did not issue
     */
    static Optional<ThreadPosition> decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode parts = LoomJson.parse(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
            if (parts.isArray() && parts.size() == 2 && parts.get(0).isString() && parts.get(1).isString()) {
                return Optional.of(new ThreadPosition(parts.get(0).stringValue(), parts.get(1).stringValue()));
            }
        } catch (IllegalArgumentException | LoomException e) {
            // reported below
        }
        throw LoomException.invalid("cursor is not valid", LoomException.details("field", "cursor"));
    }
}
