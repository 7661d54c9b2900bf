package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class EmbeddedNodeSettingsTest {

    @Test
    void usesDocumentedDefaultsForAnEmptyEnvironment() {
        EmbeddedNodeSettings settings = EmbeddedNodeSettings.fromEnvironment(Map.of());

        Path expectedDataDir = Path.of("data").toAbsolutePath().normalize();
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8787);
        assertThat(settings.dataDir()).isEqualTo(expectedDataDir);
        assertThat(settings.database()).isEqualTo(new H2FileDatabase(expectedDataDir.resolve("db")));
        assertThat(settings.embeddedKafka()).isTrue();
        assertThat(settings.signingKeyPem()).isEmpty();
        assertThat(settings.signingKeyId()).isEqualTo("k_node_sign_local_1");
    }

    @Test
    void givesTheH2FileThePageCacheAskedFor(@org.junit.jupiter.api.io.TempDir Path dataDir) {
        EmbeddedNodeSettings settings = EmbeddedNodeSettings.fromEnvironment(Map.of(
                "LOOM_DATA_DIR", dataDir.toString(), "LOOM_H2_CACHE_MB", "256"));

        assertThat(settings.database()).isEqualTo(new H2FileDatabase(dataDir.resolve("db"), 256));
        assertThat(((H2FileDatabase) settings.database()).jdbcUrl()).endsWith(";CACHE_SIZE=262144");
        assertThat(new H2FileDatabase(dataDir).jdbcUrl()).endsWith(";CACHE_SIZE=65536");
    }

    @Test
    void refusesAPageCacheThatIsNotAPositiveNumberOfMegabytes() {
        assertThatThrownBy(() -> EmbeddedNodeSettings.fromEnvironment(Map.of("LOOM_H2_CACHE_MB", "lots")))
                .isInstanceOf(NodeStartupException.class).hasMessageContaining("LOOM_H2_CACHE_MB");
        assertThatThrownBy(() -> EmbeddedNodeSettings.fromEnvironment(Map.of("LOOM_H2_CACHE_MB", "0")))
                .isInstanceOf(NodeStartupException.class).hasMessageContaining("between 1 and");
    }

    @Test
    void readsEverySetting(@org.junit.jupiter.api.io.TempDir Path dataDir) {
        EmbeddedNodeSettings settings = EmbeddedNodeSettings.fromEnvironment(Map.of(
                "HOST", "0.0.0.0",
                "PORT", "9090",
                "LOOM_DATA_DIR", dataDir.toString(),
                "LOOM_PG_URL", "jdbc:postgresql://127.0.0.1:5432/loom",
                "LOOM_PG_USER", "loom",
                "LOOM_PG_PASSWORD", "s3cret",
                "LOOM_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
                "LOOM_NODE_SIGNING_PRIVATE_KEY_PEM", "-----BEGIN PRIVATE KEY-----",
                "LOOM_NODE_SIGNING_KEY_ID", "k_node_sign_2"));

        assertThat(settings.host()).isEqualTo("0.0.0.0");
        assertThat(settings.port()).isEqualTo(9090);
        assertThat(settings.dataDir()).isEqualTo(dataDir.toAbsolutePath().normalize());
        assertThat(settings.database())
                .isEqualTo(new PostgresDatabase("jdbc:postgresql://127.0.0.1:5432/loom", "loom", "s3cret"));
        assertThat(settings.kafkaBootstrapServers()).contains("127.0.0.1:9092");
        assertThat(settings.embeddedKafka()).isFalse();
        assertThat(settings.signingKeyPem()).contains("-----BEGIN PRIVATE KEY-----");
        assertThat(settings.signingKeyId()).isEqualTo("k_node_sign_2");
    }

    @Test
    void treatsBlankVariablesAsUnset() {
        EmbeddedNodeSettings settings = EmbeddedNodeSettings.fromEnvironment(Map.of(
                "PORT", " ", "LOOM_PG_URL", "", "LOOM_KAFKA_BOOTSTRAP_SERVERS", "  "));

        assertThat(settings.port()).isEqualTo(8787);
        assertThat(settings.database()).isInstanceOf(H2FileDatabase.class);
        assertThat(settings.embeddedKafka()).isTrue();
    }

    @Test
    void rejectsAPortThatIsNotAPortNumber() {
        assertThatThrownBy(() -> EmbeddedNodeSettings.fromEnvironment(Map.of("PORT", "http")))
                .isInstanceOf(NodeStartupException.class)
                .hasMessage("PORT must be a port number between 0 and 65535, got 'http'");
        assertThatThrownBy(() -> EmbeddedNodeSettings.fromEnvironment(Map.of("PORT", "65536")))
                .isInstanceOf(NodeStartupException.class)
                .hasMessage("PORT must be a port number between 0 and 65535, got '65536'");
    }

    @Test
    void readsAPostgresConnectionUriWithItsCredentials() {
        PostgresDatabase database = PostgresDatabase.fromUrl(
                "postgres://loom:p%40ss@db.internal:5433/loom?sslmode=require", Optional.empty(), Optional.empty());

        assertThat(database.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/loom?sslmode=require");
        assertThat(database.user()).isEqualTo("loom");
        assertThat(database.password()).isEqualTo("p@ss");
    }

    @Test
    void explicitPostgresCredentialsWinOverThoseInTheUri() {
        PostgresDatabase database = PostgresDatabase.fromUrl(
                "postgresql://ignored:ignored@127.0.0.1/loom", Optional.of("app"), Optional.of("secret"));

        assertThat(database.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1/loom");
        assertThat(database.user()).isEqualTo("app");
        assertThat(database.password()).isEqualTo("secret");
    }

    @Test
    void rejectsADatabaseUrlThatIsNotPostgres() {
        assertThatThrownBy(() -> EmbeddedNodeSettings.fromEnvironment(
                Map.of("LOOM_PG_URL", "mysql://root:hunter2@127.0.0.1/loom")))
                .isInstanceOf(NodeStartupException.class)
                .hasMessageContaining("LOOM_PG_URL must be a jdbc:postgresql:// URL or a postgres:// URI")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void neverShowsSecretsInItsTextForm() {
        EmbeddedNodeSettings settings = EmbeddedNodeSettings.fromEnvironment(Map.of(
                "LOOM_PG_URL", "postgres://loom:hunter2@127.0.0.1/loom?password=hunter3",
                "LOOM_NODE_SIGNING_PRIVATE_KEY_PEM", "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n"));

        assertThat(settings.toString())
                .contains("postgresql", "jdbc:postgresql://127.0.0.1/loom as loom", "signingKey=configured")
                .doesNotContain("hunter2", "hunter3", "MC4CAQAw");
        assertThat(settings.database().toString()).doesNotContain("hunter2", "hunter3");
    }
}
