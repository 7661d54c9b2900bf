package org.loom.envelope.thread.op;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.loom.envelope.thread.ThreadRecord;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.thread.ThreadOpIntent;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * {@code thread.update@v1}: a string {@code subject} replaces the subject; a {@code labels} array replaces every
 * label, each trimmed, empty ones dropped, repeats kept once in their first place. Parameters that are absent (or a
 * subject that is not a string) leave that part of the thread alone.
 */
@Component
public class UpdateThreadOperation implements ThreadOperation {

    @Override
    public ThreadOpIntent intent() {
        return ThreadOpIntent.UPDATE;
    }

    @Override
    public ThreadOperationOutcome apply(ThreadOperationRequest request) {
        JsonNode parameters = request.envelope().parameters();
        ThreadRecord thread = request.thread();
        JsonNode subject = parameters.path("subject");
        if (subject.isString()) {
            thread = thread.withSubject(subject.stringValue());
        }
        JsonNode labels = parameters.path("labels");
        if (labels.isArray()) {
            thread = thread.withLabels(labels(labels));
        }
        return request.withThread(thread);
    }

    private static List<String> labels(JsonNode given) {
        Set<String> labels = new LinkedHashSet<>();
        for (JsonNode label : given) {
            // Labels are names: anything but a string is a client error rather than something to stringify.
            if (!label.isString()) {
                throw LoomException.invalid("thread.update@v1 labels must be strings",
                        LoomException.details("field", "content.structured.parameters.labels"));
            }
            String trimmed = trim(label.stringValue());
            if (!trimmed.isEmpty()) {
                labels.add(trimmed);
            }
        }
        return new ArrayList<>(labels);
    }

    /** Trims what JavaScript's {@code trim} trims (no-break and other Unicode spaces too), as labels were trimmed. */
    static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u00A0', '\uFEFF', '\u2028', '\u2029' -> true;
            default -> Character.getType(c) == Character.SPACE_SEPARATOR;
        };
    }
}
