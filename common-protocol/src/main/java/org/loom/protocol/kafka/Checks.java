package org.loom.protocol.kafka;

import java.util.Objects;

/** Field checks shared by the record types; a malformed record fails where it is built or parsed, not downstream. */
final class Checks {

    /** Message ids are stored in a {@code VARCHAR(64)} de-duplication column. */
    static final int MAX_MESSAGE_ID_LENGTH = 64;

    private Checks() {
    }

    static String messageId(String messageId) {
        String value = text(messageId, "message_id");
        if (value.length() > MAX_MESSAGE_ID_LENGTH) {
            throw new IllegalArgumentException("message_id longer than " + MAX_MESSAGE_ID_LENGTH + " characters");
        }
        return value;
    }

    static String text(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    static <T> T present(T value, String field) {
        return Objects.requireNonNull(value, field);
    }
}
