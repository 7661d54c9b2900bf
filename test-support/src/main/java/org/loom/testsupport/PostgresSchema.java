package org.loom.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A PostgreSQL schema created for one test context, and how to connect to it. Connections made with
 * {@link #jdbcUrl()} use this schema as their current schema, so unqualified table names and Flyway's history land in
 * it.
 *
 * @param jdbcUrl  a JDBC URL whose {@code currentSchema} is this schema
 * @param schema   the schema name: lower case letters, digits and underscores, so it never needs quoting
 * @param user     the database user
 * @param password the user's password (empty for trust authentication)
 */
public record PostgresSchema(String jdbcUrl, String schema, String user, String password) {

    public PostgresSchema {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (schema == null || !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain schema name: " + schema);
        }
    }

    /** Opens a connection whose current schema is this schema; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /**
     * Drops the schema and everything in it. Safe to call more than once; the infrastructure calls it for every schema
     * it created when the JVM exits.
     */
    public void drop() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            // A pool still holding a lock must not hang the JVM's exit.
            statement.execute("SET lock_timeout = '10s'");
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /**
     * Drops every schema of the server whose name starts with {@code prefix_}: the schemas a node started with
     * {@code LOOM_PG_STATE_KEY=prefix} made for its services next to this one.
     */
    public void dropSchemasPrefixed(String prefix) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (Connection connection = connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT nspname FROM pg_namespace WHERE nspname LIKE ?")) {
            query.setString(1, prefix.replace("_", "\\_") + "\\_%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    schemas.add(rows.getString(1));
                }
            }
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET lock_timeout = '10s'");
            for (String name : schemas) {
                statement.execute("DROP SCHEMA IF EXISTS \"" + name.replace("\"", "\"\"") + "\" CASCADE");
            }
        }
    }

    /** Whether the schema currently exists. */
    public boolean exists() throws SQLException {
        try (Connection connection = connect();
                var query = connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            query.setString(1, schema);
            try (var rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    static String withCurrentSchema(String serverUrl, String schema) {
        return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
