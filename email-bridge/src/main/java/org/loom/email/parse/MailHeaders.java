package org.loom.email.parse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The header fields of a message, in the order they arrived, looked up by name without regard to case.
 *
 * <p>Values are kept unfolded (a line break followed by white space is read as that white space, RFC 5322 §2.2.3)
 * but otherwise as written: encoded words are decoded only by the callers that display them.
 */
public final class MailHeaders {

    /** One header field: the name as spelled by the sender and its unfolded value. */
    public record Field(String name, String value) {
    }

    private final List<Field> fields;

    private MailHeaders(List<Field> fields) {
        this.fields = Collections.unmodifiableList(fields);
    }

    public static MailHeaders of(List<Field> fields) {
        return new MailHeaders(new ArrayList<>(fields));
    }

    public static MailHeaders empty() {
        return new MailHeaders(List.of());
    }

    /**
     * Reads a header block (everything before the first empty line of a message). Lines may end in CRLF or a bare LF;
     * a continuation line before any field and a line without a colon are ignored, as no field can be read from them.
     */
    public static MailHeaders parse(String block) {
        List<Field> fields = new ArrayList<>();
        String name = null;
        StringBuilder value = null;
        for (String line : block.split("\r\n|\n|\r", -1)) {
            if (line.isEmpty()) {
                break;
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                if (value != null) {
                    value.append(line);
                }
                continue;
            }
            if (name != null) {
                fields.add(new Field(name, value.toString().strip()));
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                name = null;
                value = null;
                continue;
            }
            name = line.substring(0, colon).strip();
            value = new StringBuilder(line.substring(colon + 1));
        }
        if (name != null) {
            fields.add(new Field(name, value.toString().strip()));
        }
        return new MailHeaders(fields);
    }

    /** The value of the first field with this name, any case. */
    public Optional<String> first(String name) {
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                return Optional.of(field.value());
            }
        }
        return Optional.empty();
    }

    /** Every value of fields with this name, any case, in order. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                values.add(field.value());
            }
        }
        return values;
    }

    public List<Field> fields() {
        return fields;
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * The fields as a name → value map for {@code meta.bridge.original_headers}: the first spelling of a name is
     * kept, and a field that appears more than once maps to the list of its values.
     */
    public Map<String, Object> asMap() {
        Map<String, String> spelling = new LinkedHashMap<>();
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Field field : fields) {
            String key = field.name().toLowerCase(Locale.ROOT);
            spelling.putIfAbsent(key, field.name());
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(field.value());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((key, list) -> out.put(spelling.get(key), list.size() == 1 ? list.get(0) : List.copyOf(list)));
        return out;
    }
}
