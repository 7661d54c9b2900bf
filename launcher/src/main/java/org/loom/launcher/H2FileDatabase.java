package org.loom.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An H2 database in one file under the data directory, in PostgreSQL compatibility mode so the services' migrations
 * and queries run unchanged against both.
 *
 * <p>The database stays open only while some service holds a connection, and is closed by the services' pools rather
 * than by H2's own JVM exit hook: that hook would close it under services still shutting down.
 *
 * <p>Every commit is written to the file before it returns ({@code WRITE_DELAY=0}). H2's default writes commits from a
 * background thread up to half a second later, so a process killed in that window lost transactions it had reported
 * committed: a node that had answered {@code 201} forgot the envelope, after telling Kafka the command was done.
 * {@code H2FileDatabaseDurabilityTest} commits row by row in a child process and kills it with {@code kill -9}: without
 * the setting 375 of 3,000 reported commits were found afterwards. Without H2's background writer nothing reclaims the
 * space of replaced pages, so the node runs that maintenance itself ({@link H2Housekeeping}).
 *
 * <p>Each connection keeps the parsed form of its last {@value #PARSED_STATEMENTS} statements: storing an envelope runs
 * a few dozen distinct statements in one transaction, and H2's default of 8 had it parse nearly every one again.
 *
 * <p>Its page cache is {@code LOOM_H2_CACHE_MB} megabytes of the JVM heap (default {@value #DEFAULT_CACHE_MB}; H2's own
 * default is 16): each envelope's statements walk a dozen indexes, and pages that fell out of a small cache are read
 * and decoded from the file again.
 *
 * @param directory the folder holding the database file ({@code loom.mv.db})
 * @param cacheMegabytes the page cache, in megabytes of heap
 */
public record H2FileDatabase(Path directory, int cacheMegabytes) implements NodeDatabase {

    public static final int DEFAULT_CACHE_MB = 64;

    /** The database file's base name; H2 adds {@code .mv.db}. */
    public static final String NAME = "loom";

    private static final String MODE = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"
            + ";QUERY_CACHE_SIZE=" + H2FileDatabase.PARSED_STATEMENTS;

    static final int PARSED_STATEMENTS = 128;

    /** The database in {@code directory} with the default page cache. */
    public H2FileDatabase(Path directory) {
        this(directory, DEFAULT_CACHE_MB);
    }

    public H2FileDatabase {
        Objects.requireNonNull(directory, "directory");
        if (cacheMegabytes < 1 || cacheMegabytes > 1_048_576) {
            throw new NodeStartupException(EmbeddedNodeSettings.H2_CACHE_MB + " must be between 1 and 1048576, got "
                    + cacheMegabytes);
        }
        directory = directory.toAbsolutePath().normalize();
        // The path becomes part of a JDBC URL whose settings are separated by semicolons.
        if (directory.toString().contains(";")) {
            throw new NodeStartupException("the database directory may not contain ';': " + directory);
        }
    }

    @Override
    public String kind() {
        return "h2";
    }

    @Override
    public String location() {
        return directory.resolve(NAME + ".mv.db").toString();
    }

    /** The JDBC URL of the database, without any schema selection. */
    public String jdbcUrl() {
        return "jdbc:h2:file:" + directory.resolve(NAME) + MODE + ";CACHE_SIZE=" + cacheMegabytes * 1024;
    }

    @Override
    public Map<String, String> serviceProperties(String schema) {
        NodeDatabase.requireSchemaName(schema);
        Map<String, String> properties = new LinkedHashMap<>();
        // H2 refuses to switch a connection to a schema that does not exist yet, and the pool switches before Flyway
        // could create it: each new connection creates the schema if needed, then uses it.
        properties.put("spring.datasource.url",
                jdbcUrl() + ";INIT=CREATE SCHEMA IF NOT EXISTS " + schema + "\\;SET SCHEMA " + schema);
        properties.put("spring.datasource.username", "sa");
        properties.put("spring.datasource.password", "");
        properties.put("spring.datasource.driver-class-name", "org.h2.Driver");
        properties.put("spring.flyway.schemas", schema);
        properties.put("spring.flyway.default-schema", schema);
        properties.put("spring.jpa.properties.hibernate.default_schema", schema);
        return properties;
    }
}
