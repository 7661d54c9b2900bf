package org.loom.launcher;

import java.util.Locale;
import java.util.Objects;

/**
 * {@code LOOM_PG_STATE_KEY}: which set of schemas a node keeps its state in, so several nodes can share one database
 * without seeing each other's data. The {@code default} key uses each service's own schema name ({@code gateway},
 * {@code envelope}), as nodes did before state keys existed; any other key prefixes it ({@code tenant_a_envelope}).
 *
 * @param value a letter followed by up to 39 letters, digits or underscores, in lower case
 */
public record StateKey(String value) {

    public static final StateKey DEFAULT = new StateKey("default");

    public StateKey {
        Objects.requireNonNull(value, "value");
        if (!value.matches("[a-z][a-z0-9_]{0,39}")) {
            throw new NodeStartupException(EmbeddedNodeSettings.PG_STATE_KEY + " must be a letter followed by up to"
                    + " 39 letters, digits or underscores (it becomes part of schema names), got '" + value + "'");
        }
    }

    /** Reads the setting; letters are taken in lower case since unquoted schema names are. */
    public static StateKey parse(String text) {
        return new StateKey(text.strip().toLowerCase(Locale.ROOT));
    }

    /**
     * The schema a service keeps its tables in under this key.
     *
     * @param serviceSchema the service's own schema name, e.g. {@code envelope}
     */
    public String schemaOf(String serviceSchema) {
        NodeDatabase.requireSchemaName(serviceSchema);
        return equals(DEFAULT) ? serviceSchema : NodeDatabase.requireSchemaName(value + "_" + serviceSchema);
    }

    @Override
    public String toString() {
        return value;
    }
}
