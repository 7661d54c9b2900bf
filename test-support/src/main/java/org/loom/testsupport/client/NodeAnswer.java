package org.loom.testsupport.client;

import java.net.http.HttpHeaders;
import java.util.Objects;

import tools.jackson.databind.JsonNode;

/**
 * One HTTP answer of a node.
 *
 * @param status  the status code
 * @param body    the body parsed as JSON; a JSON null node for an empty or non-JSON body
 * @param raw     the body as text
 * @param headers the response headers
 */
public record NodeAnswer(int status, JsonNode body, String raw, HttpHeaders headers) {

    public NodeAnswer {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(headers, "headers");
    }

    /** The body, after checking the status; the failure message shows what came instead. */
    public JsonNode expect(int expectedStatus) {
        if (status != expectedStatus) {
            throw new AssertionError("expected HTTP " + expectedStatus + " but got " + status + ": " + raw);
        }
        return body;
    }

    /** {@code error.code} of a protocol error body, or null. */
    public String errorCode() {
        JsonNode code = body.at("/error/code");
        return code.isString() ? code.stringValue() : null;
    }
}
