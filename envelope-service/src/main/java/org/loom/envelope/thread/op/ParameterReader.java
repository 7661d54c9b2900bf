package org.loom.envelope.thread.op;

import java.util.Optional;
import org.loom.protocol.address.LoomAddress;
import org.loom.protocol.error.LoomException;
import tools.jackson.databind.JsonNode;

/** Reads the parameters of thread operations, refusing bad ones with {@code ENVELOPE_INVALID} and their field. */
final class ParameterReader {

    private static final String PREFIX = "content.structured.parameters.";

    private ParameterReader() {
    }

    /** A required identity parameter. */
    static String identity(JsonNode parameters, String name, String intent) {
        JsonNode value = parameters.get(name);
        if (value == null || !value.isString() || !LoomAddress.isValid(value.stringValue())) {
            throw LoomException.invalid(intent + " requires a valid " + name,
                    LoomException.details("field", PREFIX + name));
        }
        return value.stringValue();
    }

    /** An optional non-empty string parameter; anything but a string is refused. */
    static Optional<String> optionalText(JsonNode parameters, String name) {
        JsonNode value = parameters.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isString()) {
            throw LoomException.invalid(PREFIX + name + " must be a string",
                    LoomException.details("field", PREFIX + name));
        }
        return value.stringValue().isEmpty() ? Optional.empty() : Optional.of(value.stringValue());
    }

    /** A required non-empty string parameter. */
    static String requiredText(JsonNode parameters, String name, String intent) {
        return optionalText(parameters, name).orElseThrow(() -> LoomException.invalid(
                intent + " requires " + name, LoomException.details("field", PREFIX + name)));
    }
}
