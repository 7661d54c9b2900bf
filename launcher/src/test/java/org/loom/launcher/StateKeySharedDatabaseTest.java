package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.testsupport.PostgresSchema;
import org.loom.testsupport.TestInfrastructure;
import org.loom.testsupport.client.NodeClient;
import org.loom.testsupport.client.TestIdentity;

/**
 * Two nodes with different {@code LOOM_PG_STATE_KEY}s on one PostgreSQL database keep apart: an identity and a thread
 * written through one are unknown to the other, the same identity address can be registered on both, and the first
 * node still has its own data afterwards.
 */
class StateKeySharedDatabaseTest {

    @TempDir
    Path firstDataDir;

    @TempDir
    Path secondDataDir;

    @Test
    void nodesWithDifferentStateKeysOnOneDatabaseDoNotSeeEachOthersData() throws Exception {
        // A schema of the test server, for its connection details and a connection to look at the catalogue with.
        PostgresSchema probe = TestInfrastructure.get().newSchema("state_key");
        String databaseUrl = probe.jdbcUrl().replaceFirst("[?&]currentSchema=[^&]*", "");
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
        StateKey first = new StateKey("ska" + suffix);
        StateKey second = new StateKey("skb" + suffix);
        EmbeddedNodeSettings firstNode = settings(firstDataDir, databaseUrl, probe, first);
        EmbeddedNodeSettings secondNode = settings(secondDataDir, databaseUrl, probe, second);
        TestIdentity alice = TestIdentity.generate("loom://alice@shared.test");
        TestIdentity bob = TestIdentity.generate("loom://bob@shared.test");
        String threadId = LoomIds.next(IdPrefix.THREAD);
        try {
            try (LoomNode node = LoomNode.start(firstNode)) {
                NodeClient client = new NodeClient(node.gatewayUrl());
                client.register(alice);
                client.register(bob);
                client.post("/v1/envelopes", client.token(alice),
                        NodeClient.message(alice, threadId, null, List.of(bob.identity()), "Only on the first node"))
                        .expect(201);
            }

            try (LoomNode node = LoomNode.start(secondNode)) {
                NodeClient client = new NodeClient(node.gatewayUrl());
                assertThat(client.get(NodeClient.identityPath(alice.identity()), null).status()).isEqualTo(404);
                TestIdentity otherAlice = TestIdentity.generate(alice.identity());
                client.register(otherAlice);
                String token = client.token(otherAlice);
                assertThat(client.get("/v1/threads/" + threadId, token).errorCode()).isEqualTo("THREAD_NOT_FOUND");
                assertThat(client.get("/v1/threads", token).expect(200).get("threads").isEmpty()).isTrue();
            }

            assertThat(schemasOf(probe, first)).containsExactlyInAnyOrder(first + "_gateway", first + "_envelope",
                    first + "_federation", first + "_delivery", first + "_email");
            assertThat(schemasOf(probe, second)).containsExactlyInAnyOrder(second + "_gateway", second + "_envelope",
                    second + "_federation", second + "_delivery", second + "_email");

            try (LoomNode node = LoomNode.start(firstNode)) {
                NodeClient client = new NodeClient(node.gatewayUrl());
                String token = client.token(alice);
                assertThat(client.get("/v1/threads/" + threadId + "/envelopes", token).expect(200)
                        .get("envelopes").size()).isEqualTo(1);
            }
        } finally {
            dropSchemas(probe, first);
            dropSchemas(probe, second);
        }
    }

    private static EmbeddedNodeSettings settings(Path dataDir, String databaseUrl, PostgresSchema server,
                                                 StateKey key) {
        return EmbeddedNodeSettings.fromEnvironment(Map.of(
                "LOOM_DATA_DIR", dataDir.toString(),
                "PORT", "0",
                "LOOM_PG_URL", databaseUrl,
                "LOOM_PG_USER", server.user(),
                "LOOM_PG_PASSWORD", server.password(),
                "LOOM_PG_STATE_KEY", key.value()));
    }

    private static List<String> schemasOf(PostgresSchema server, StateKey key) throws Exception {
        try (Connection connection = server.connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT nspname FROM pg_namespace WHERE nspname LIKE ?")) {
            query.setString(1, key.value() + "\\_%");
            List<String> names = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        }
    }

    private static void dropSchemas(PostgresSchema server, StateKey key) throws Exception {
        for (String schema : schemasOf(server, key)) {
            try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
