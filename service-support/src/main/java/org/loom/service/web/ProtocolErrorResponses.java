package org.loom.service.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The protocol error body, {@code {"error":{"code","message","details","request_id","timestamp"}}}, answered with the
 * status of its code. Every path that reports a failure (the controller advice, the {@code /error} page, filters that
 * refuse a request before it is routed, the container's error valve) renders through here, so the body never
 * differs by where the failure happened.
 */
public final class ProtocolErrorResponses {

    /** The detail a retryable error carries; it also becomes a {@code Retry-After} header. */
    public static final String RETRY_AFTER_MS = "retry_after_ms";

    private static final Logger log = LoggerFactory.getLogger(ProtocolErrorResponses.class);

    private ProtocolErrorResponses() {
    }

    /** The JSON body for an error, stamped now. */
    public static ObjectNode body(LoomException error, String requestId) {
        return body(error, requestId, Instant.now());
    }

    /** The JSON body for an error at a given instant. */
    public static ObjectNode body(LoomException error, String requestId, Instant at) {
        ObjectNode root = LoomJson.mapper().createObjectNode();
        ObjectNode body = root.putObject("error");
        body.put("code", error.code().name());
        body.put("message", error.getMessage() == null ? error.code().name() : error.getMessage());
        body.set("details", detailsNode(error));
        body.put("request_id", requestId);
        body.put("timestamp", Timestamps.format(at));
        return root;
    }

    /** The error as a response entity, for controller advice. */
    public static ResponseEntity<byte[]> entity(LoomException error, String requestId) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(HttpStatusCode.valueOf(error.httpStatus()))
                .contentType(JsonResponses.JSON_UTF8)
                .header(RequestIds.HEADER, requestId);
        retryAfterSeconds(error).ifPresent(seconds -> builder.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
        return builder.body(LoomJson.writeBytes(body(error, requestId)));
    }

    /**
     * Writes the error straight to a servlet response, for code that runs outside Spring MVC (filters, the error
     * page). Whatever was buffered but not yet sent is discarded; a response already committed is left alone, since
     * its status line is on the wire.
     */
    public static void write(HttpServletResponse response, LoomException error, String requestId) throws IOException {
        if (response.isCommitted()) {
            log.warn("Cannot report {} for request {}: the response is already committed", error.code(), requestId);
            return;
        }
        response.resetBuffer();
        byte[] bytes = LoomJson.writeBytes(body(error, requestId));
        response.setStatus(error.httpStatus());
        response.setContentType(JsonResponses.JSON_UTF8.toString());
        response.setHeader(RequestIds.HEADER, requestId);
        retryAfterSeconds(error).ifPresent(seconds -> response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }

    /** 404 {@code ENVELOPE_NOT_FOUND} "Route not found" with {@code {method, path}}: what any unknown route gets. */
    public static LoomException routeNotFound(String method, String path) {
        return new LoomException(ErrorCode.ENVELOPE_NOT_FOUND, "Route not found",
                LoomException.details("method", method, "path", path));
    }

    /** 500 {@code INTERNAL_ERROR} with empty details: what every unexpected failure becomes on the wire. */
    public static LoomException internalError() {
        return new LoomException(ErrorCode.INTERNAL_ERROR, "Internal server error");
    }

    /**
     * SQL states of text the database refuses to store, whatever the code path that wrote it: PostgreSQL has no NUL
     * character in {@code TEXT} ({@code 22021} character_not_in_repertoire, {@code 22P05} untranslatable_character,
     * the latter also for a NUL escape inside {@code JSONB}). H2 stores such text, so only a node on PostgreSQL
     * meets these; they are the client's text, not a fault of the node.
     */
    static final Set<String> UNSTORABLE_TEXT_STATES = Set.of("22021", "22P05");

    /**
     * The protocol error inside a failure, if any: frameworks wrap exceptions thrown from code they call (a request
     * body stream, a converter), and the protocol error must survive that. A database's refusal of text the client
     * sent (see {@link #UNSTORABLE_TEXT_STATES}), however deeply wrapped by the persistence layers, is the client's
     * error too: 400 {@code ENVELOPE_INVALID} with {@code {reason: "unsupported_character"}}.
     */
    public static LoomException protocolErrorIn(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < 16; depth++) {
            if (current instanceof LoomException loom) {
                return loom;
            }
            if (current instanceof SQLException sql && unstorableText(sql)) {
                return LoomException.invalid("Text contains a character that cannot be stored (NUL)",
                        LoomException.details("reason", "unsupported_character"));
            }
            current = current.getCause();
        }
        return null;
    }

    private static boolean unstorableText(SQLException failure) {
        SQLException current = failure;
        for (int depth = 0; current != null && depth < 8; depth++) {
            if (current.getSQLState() != null && UNSTORABLE_TEXT_STATES.contains(current.getSQLState())) {
                return true;
            }
            current = current.getNextException();
        }
        return false;
    }

    /** {@code Retry-After} in whole seconds, rounded up, when the error carries {@value #RETRY_AFTER_MS}. */
    static OptionalLong retryAfterSeconds(LoomException error) {
        Object value = error.details().get(RETRY_AFTER_MS);
        if (!(value instanceof Number number)) {
            return OptionalLong.empty();
        }
        double millis = number.doubleValue();
        if (!Double.isFinite(millis)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(0L, (long) Math.ceil(millis / 1000.0)));
    }

    private static JsonNode detailsNode(LoomException error) {
        Map<String, Object> details = error.details();
        if (details.isEmpty()) {
            return LoomJson.mapper().createObjectNode();
        }
        try {
            return LoomJson.mapper().valueToTree(details);
        } catch (JacksonException e) {
            // Details are meant to be plain JSON values; a value that is not must not turn an error into a crash.
            log.error("Error details of {} are not JSON values; sending none", error.code(), e);
            return LoomJson.mapper().createObjectNode();
        }
    }
}
