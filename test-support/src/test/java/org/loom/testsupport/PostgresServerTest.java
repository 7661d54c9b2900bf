package org.loom.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

    private static final Instant NOW = Instant.parse("2026-02-16T20:00:00Z");

    @Test
    void schemaNamesArePlainLowerCaseAndFitPostgresIdentifiers() {
        String name = PostgresServer.schemaName("Envelope-Service: a very long prefix that goes on and on", NOW);

        assertThat(name).matches("t_envelope_service_a_very_long_p_[0-9a-z]+_[0-9a-f]{8}");
        assertThat(name.length()).isLessThanOrEqualTo(63);
        assertThat(PostgresServer.schemaName("--", NOW)).startsWith("t_test_");
    }

    @Test
    void onlyOldSchemasOfTheTestPatternCountAsAbandoned() {
        String old = PostgresServer.schemaName("svc", NOW.minus(Duration.ofDays(2)));
        String recent = PostgresServer.schemaName("svc", NOW.minus(Duration.ofMinutes(30)));

        assertThat(PostgresServer.isAbandoned(old, NOW)).isTrue();
        assertThat(PostgresServer.isAbandoned(recent, NOW)).isFalse();
        assertThat(PostgresServer.isAbandoned("t_hand_made", NOW)).isFalse();
        assertThat(PostgresServer.isAbandoned("public", NOW)).isFalse();
    }

    @Test
    void sweepDropsSchemasLeftByKilledJvmsAndKeepsLiveOnes() throws SQLException {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        PostgresSchema live = infrastructure.newSchema("sweep-live");
        String abandonedName = PostgresServer.schemaName("sweep-abandoned", Instant.now().minus(Duration.ofDays(1)));
        try (Connection connection = live.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + abandonedName);
            statement.execute("CREATE TABLE " + abandonedName + ".leftover(id INT)");
        }
        PostgresSchema abandoned = new PostgresSchema(live.jdbcUrl(), abandonedName, live.user(), live.password());
        assertThat(abandoned.exists()).isTrue();

        PostgresServer server = new PostgresServer(serverUrl(live), live.user(), live.password());
        assertThat(server.dropAbandonedSchemas(Instant.now())).isGreaterThanOrEqualTo(1);

        assertThat(abandoned.exists()).isFalse();
        assertThat(live.exists()).isTrue();
    }

    private static String serverUrl(PostgresSchema schema) {
        String url = schema.jdbcUrl();
        return url.substring(0, url.lastIndexOf("currentSchema=") - 1);
    }
}
