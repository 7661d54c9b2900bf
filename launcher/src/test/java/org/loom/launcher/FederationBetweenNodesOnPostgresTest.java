package org.loom.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.loom.testsupport.PostgresSchema;
import org.loom.testsupport.TestInfrastructure;

/**
 * {@link FederationBetweenNodesTest} with both nodes on the test PostgreSQL server instead of H2 files, each under its
 * own state key (its own set of schemas), dropped when the nodes have stopped. The inherited lifecycle methods ask
 * this class for the nodes' database settings and cleanup.
 */
class FederationBetweenNodesOnPostgresTest extends FederationBetweenNodesTest {

    private static PostgresSchema server;
    private static final List<String> STATE_KEYS = new ArrayList<>();

    /** The database settings of node {@code a} or {@code b}: the test server, a state key of its own. */
    static synchronized Map<String, String> store(String node) {
        if (server == null) {
            server = TestInfrastructure.get().newSchema("federation_pg");
        }
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
        String stateKey = "fn" + node + suffix;
        STATE_KEYS.add(stateKey);
        return Map.of(EmbeddedNodeSettings.PG_URL, server.jdbcUrl().replaceFirst("[?&]currentSchema=[^&]*", ""),
                EmbeddedNodeSettings.PG_USER, server.user(),
                EmbeddedNodeSettings.PG_PASSWORD, server.password(),
                EmbeddedNodeSettings.PG_STATE_KEY, stateKey);
    }

    /** Drops every schema the nodes made, and the probe schema. */
    static synchronized void dropSchemas() throws Exception {
        if (server == null) {
            return;
        }
        for (String stateKey : STATE_KEYS) {
            server.dropSchemasPrefixed(stateKey);
        }
        STATE_KEYS.clear();
        server.drop();
        server = null;
    }
}
