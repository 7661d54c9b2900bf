package org.loom.service.web;

import java.nio.charset.StandardCharsets;
import org.loom.protocol.json.LoomJson;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * JSON response bodies as the wire expects them: written with {@link LoomJson#writeBytes} (numbers in ECMAScript
 * form, members in their stored order) and labelled {@code application/json; charset=utf-8}.
 *
 * <p>Controllers return these rather than a bare {@link JsonNode}, because Jackson's own writer prints numbers in
 * Java's form, which a JavaScript peer reads as a different text.
 */
public final class JsonResponses {

    /** The content type of every JSON body the node writes. */
    public static final MediaType JSON_UTF8 = new MediaType(MediaType.APPLICATION_JSON, StandardCharsets.UTF_8);

    private JsonResponses() {
    }

    /** 200 with the given body. */
    public static ResponseEntity<byte[]> ok(JsonNode body) {
        return status(200, body);
    }

    /** 201 with the given body. */
    public static ResponseEntity<byte[]> created(JsonNode body) {
        return status(201, body);
    }

    /** The given status with the given body. */
    public static ResponseEntity<byte[]> status(int status, JsonNode body) {
        return ResponseEntity.status(HttpStatusCode.valueOf(status))
                .contentType(JSON_UTF8)
                .body(LoomJson.writeBytes(body));
    }
}
