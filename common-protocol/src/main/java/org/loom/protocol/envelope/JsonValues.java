package org.loom.protocol.envelope;

import tools.jackson.databind.JsonNode;

/** Small readings of JSON values shared by the validator and the typed envelope view. */
final class JsonValues {

    private JsonValues() {
    }

    /** The member of an object, or {@code null} when the node is not an object or has no such member. */
    static JsonNode member(JsonNode node, String name) {
        return node != null && node.isObject() ? node.get(name) : null;
    }

    /** Absent or JSON {@code null}: the two ways a sender leaves an optional field out. */
    static boolean isNullish(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    static boolean isObject(JsonNode node) {
        return node != null && node.isObject();
    }

    static boolean isString(JsonNode node) {
        return node != null && node.isString();
    }

    static String stringOrNull(JsonNode node) {
        return isString(node) ? node.stringValue() : null;
    }

    static boolean isNonEmptyString(JsonNode node) {
        return isString(node) && !node.stringValue().isEmpty();
    }

    /**
     * Whether a flag-like value counts as set. Senders are not held to booleans for these flags (the wire has always
     * read them loosely), so false, null, zero and the empty string count as unset and any other value as set.
     */
    static boolean isSet(JsonNode node) {
        if (isNullish(node)) {
            return false;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            double value = node.doubleValue();
            return value != 0 && !Double.isNaN(value);
        }
        if (node.isString()) {
            return !node.stringValue().isEmpty();
        }
        return true;
    }
}
