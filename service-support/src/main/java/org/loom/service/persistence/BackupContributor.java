package org.loom.service.persistence;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * State of a service that is not in its tables (blob bytes, say), carried in the service's part of a backup under
 * {@code extras.<name>}. Exported inside the same read transaction as the tables, imported after them.
 */
public interface BackupContributor {

    /** The key of this state in {@code extras}. */
    String name();

    /** Writes the state as one JSON value. */
    void export(JsonGenerator out);

    /**
     * Refuses a value {@link #restore} could not take, before anything of the restore is done; the default accepts
     * everything.
     *
     * @throws org.loom.protocol.error.LoomException {@code ENVELOPE_INVALID} for a malformed value
     */
    default void check(JsonNode value) {
    }

    /** Replaces the state with what {@link #export} wrote; the value has passed {@link #check}. */
    void restore(JsonNode value);
}
