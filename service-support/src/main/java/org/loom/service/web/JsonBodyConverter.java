package org.loom.service.web;

import java.io.IOException;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code @RequestBody JsonNode} (or a subtype) from a body of any content type, or none: the protocol's peers
 * are not required to label their JSON, and the reference node never looks at the label. Parsing follows
 * {@link LoomJson#parse(byte[])}: an empty body is {@code {}}, bad JSON is a 400 {@code ENVELOPE_INVALID}.
 *
 * <p>It only reads; responses are written through {@link JsonResponses}.
 */
public final class JsonBodyConverter extends AbstractHttpMessageConverter<JsonNode> {

    public JsonBodyConverter() {
        super(MediaType.ALL);
    }

    @Override
    protected boolean supports(Class<?> type) {
        return JsonNode.class.isAssignableFrom(type);
    }

    @Override
    public boolean canWrite(Class<?> type, MediaType mediaType) {
        return false;
    }

    @Override
    protected JsonNode readInternal(Class<? extends JsonNode> type, HttpInputMessage input) throws IOException {
        JsonNode node = LoomJson.parse(input.getBody().readAllBytes());
        if (!type.isInstance(node)) {
            throw LoomException.invalid(
                    node.isArray() ? "Request body must be a JSON object, not an array"
                            : "Request body must be a JSON object",
                    LoomException.details("field", "body"));
        }
        return node;
    }

    @Override
    protected void writeInternal(JsonNode node, HttpOutputMessage output) {
        throw new UnsupportedOperationException("JsonBodyConverter only reads request bodies");
    }
}
