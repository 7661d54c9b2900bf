package org.loom.testsupport;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A PostgreSQL server tests may create schemas in. */
record PostgresServer(String jdbcUrl, String user, String password) {

    /** Schemas this code made: {@code t_<prefix>_<creation second, base 36>_<random hex>}. */
    private static final Pattern TEST_SCHEMA = Pattern.compile("t_[a-z0-9_]+_([0-9a-z]{6,8})_[0-9a-f]{8}");

    /**
     * Schemas older than this were left by a JVM that was killed before its shutdown hook ran. No test run lasts this
     * long, so sweeping them cannot pull a schema from under a test running in another JVM.
     */
    private static final Duration ABANDONED_AFTER = Duration.ofHours(12);

    private static final SecureRandom RANDOM = new SecureRandom();

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** Fails with a hint on how to fix it when the server does not answer. */
    void checkReachable() {
        DriverManager.setLoginTimeout(10);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + jdbcUrl + " as " + user
                    + ". Start the local server (pg_ctlcluster --skip-systemctl-redirect <version> main start), set "
                    + "LOOM_TEST_PG_URL/LOOM_TEST_PG_USER/LOOM_TEST_PG_PASSWORD, or run with LOOM_TEST_INFRA=containers "
                    + "where Docker is available", e);
        }
    }

    PostgresSchema createSchema(String prefix) {
        String name = schemaName(prefix, Instant.now());
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + name + " at " + jdbcUrl, e);
        }
        return new PostgresSchema(PostgresSchema.withCurrentSchema(jdbcUrl, name), name, user, password);
    }

    /** Drops test schemas abandoned by killed JVMs; returns how many it dropped. */
    int dropAbandonedSchemas(Instant now) {
        List<PostgresSchema> abandoned = new ArrayList<>();
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'")) {
            while (rows.next()) {
                String name = rows.getString(1);
                if (isAbandoned(name, now)) {
                    abandoned.add(new PostgresSchema(PostgresSchema.withCurrentSchema(jdbcUrl, name), name, user,
                            password));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list schemas at " + jdbcUrl, e);
        }
        for (PostgresSchema schema : abandoned) {
            try {
                schema.drop();
            } catch (SQLException e) {
                // Another JVM may be sweeping the same schema; the next sweep retries.
            }
        }
        return abandoned.size();
    }

    static String schemaName(String prefix, Instant createdAt) {
        String cleaned = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_+|_+$", "");
        if (cleaned.isEmpty()) {
            cleaned = "test";
        }
        if (cleaned.length() > 30) {
            cleaned = cleaned.substring(0, 30);
        }
        return "t_" + cleaned + "_" + Long.toString(createdAt.getEpochSecond(), 36) + "_"
                + String.format("%08x", RANDOM.nextInt());
    }

    static boolean isAbandoned(String schemaName, Instant now) {
        Matcher matcher = TEST_SCHEMA.matcher(schemaName);
        if (!matcher.matches()) {
            return false;
        }
        Instant createdAt = Instant.ofEpochSecond(Long.parseLong(matcher.group(1), 36));
        return createdAt.plus(ABANDONED_AFTER).isBefore(now);
    }
}
