package org.loom.email.bridge;

import java.util.ArrayList;
import java.util.List;
import org.loom.protocol.error.LoomException;
import tools.jackson.databind.JsonNode;

/** Reading the members of the bridge's JSON request bodies, with a 400 naming the member when one has the wrong type. */
public final class JsonFields {

    private JsonFields() {
    }

    /** A string member; null when absent or null. */
    public static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw LoomException.invalid(field + " must be a string", LoomException.details("field", field));
        }
        return value.stringValue();
    }

    /** A member that is a string or an array of strings, as a list; null when absent or null. */
    public static List<String> texts(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        if (value.isString()) {
            texts.add(value.stringValue());
        } else if (value.isArray()) {
            for (JsonNode item : value) {
                if (item.isString()) {
                    texts.add(item.stringValue());
                } else if (!item.isNull()) {
                    throw LoomException.invalid(field + " entries must be strings",
                            LoomException.details("field", field));
                }
            }
        } else {
            throw LoomException.invalid(field + " must be a string or an array of strings",
                    LoomException.details("field", field));
        }
        return texts;
    }
}
