package org.loom.protocol.envelope;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One problem found in an envelope: the field path (such as {@code to[0].role}) and why it is wrong.
 *
 * @param field  the path of the offending field
 * @param reason what the field must be
 */
public record ValidationError(String field, String reason) {

    public ValidationError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
    }

    /** The {@code {"field", "reason"}} object of an {@code ENVELOPE_INVALID} error body, keys in that order. */
    public Map<String, Object> toDetail() {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("field", field);
        detail.put("reason", reason);
        return detail;
    }
}
