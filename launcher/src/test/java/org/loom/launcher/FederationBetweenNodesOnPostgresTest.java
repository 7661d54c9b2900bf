package org.loom.launcher;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.loom.testsupport.PostgresSchema;
import org.loom.testsupport.TestInfrastructure;

/**
 * {@link FederationBetweenNodesTest} with both nodes on the test PostgreSQL server instead of H2 files, each under its
 * own state key (its own set of schemas), dropped afterwards.
 */
class FederationBetweenNodesOnPostgresTest extends FederationBetweenNodesTest {

    private static PostgresSchema server;
    private static List<String> stateKeys = List.of();

    @BeforeAll
    static void startTwoNodes() throws Exception {
        server = TestInfrastructure.get().newSchema("federation_pg");
        String databaseUrl = server.jdbcUrl().replaceFirst("[?&]currentSchema=[^&]*", "");
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
        stateKeys = List.of("fna" + suffix, "fnb" + suffix);
        startTwoNodes(store(databaseUrl, stateKeys.get(0)), store(databaseUrl, stateKeys.get(1)));
    }

    @AfterAll
    static void stopNodes() throws Exception {
        try {
            FederationBetweenNodesTest.stopNodes();
        } finally {
            for (String key : stateKeys) {
                dropSchemas(key);
            }
            server.drop();
        }
    }

    private static Map<String, String> store(String databaseUrl, String stateKey) {
        return Map.of(EmbeddedNodeSettings.PG_URL, databaseUrl,
                EmbeddedNodeSettings.PG_USER, server.user(),
                EmbeddedNodeSettings.PG_PASSWORD, server.password(),
                EmbeddedNodeSettings.PG_STATE_KEY, stateKey);
    }

    private static void dropSchemas(String stateKey) throws Exception {
        List<String> schemas = new ArrayList<>();
        try (Connection connection = server.connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT nspname FROM pg_namespace WHERE nspname LIKE ?")) {
            query.setString(1, stateKey + "\\_%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    schemas.add(rows.getString(1));
                }
            }
        }
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            for (String schema : schemas) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
