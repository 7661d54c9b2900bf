package org.loom.protocol.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;

/**
 * Loads the protocol's published test vectors (copied into {@code src/test/resources/vectors}) and other test data
 * from the classpath.
 */
public final class ReferenceVectors {

    private ReferenceVectors() {
    }

    /** A vector file of {@code /vectors}, parsed with the node's own reader. */
    public static JsonNode load(String fileName) {
        return LoomJson.parse(resource("/vectors/" + fileName));
    }

    /** A classpath resource as UTF-8 text. */
    public static String resource(String path) {
        try (InputStream in = ReferenceVectors.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
