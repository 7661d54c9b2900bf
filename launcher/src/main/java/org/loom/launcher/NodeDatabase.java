package org.loom.launcher;

import java.util.Map;

/**
 * Where the services of the embedded node keep their tables. Every service with a database gets its own schema in
 * the one database, so each keeps its own Flyway history and no service sees another's tables by accident.
 */
public sealed interface NodeDatabase permits H2FileDatabase, PostgresDatabase {

    /** {@code h2} or {@code postgresql}, as shown in the node's ready line. */
    String kind();

    /** Where the data is, for the operator, without credentials. */
    String location();

    /**
     * The Spring properties that point one service at its own schema: the data source, the schema its connections
     * use, the schema Flyway migrates and the schema Hibernate validates against.
     *
     * @param schema the service's schema, a lower-case SQL identifier
     */
    Map<String, String> serviceProperties(String schema);

    /** Rejects schema names that would need quoting, since they end up in URLs and SQL unquoted. */
    static String requireSchemaName(String schema) {
        if (schema == null || !schema.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain lower-case schema name: " + schema);
        }
        return schema;
    }
}
