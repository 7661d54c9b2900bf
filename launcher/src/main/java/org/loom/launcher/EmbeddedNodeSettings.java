package org.loom.launcher;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the embedded node is told by its environment, read once at start.
 *
 * <table>
 *   <caption>Settings and their defaults</caption>
 *   <tr><th>Variable</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@code HOST}</td><td>{@code 127.0.0.1}</td><td>address the gateway listens on</td></tr>
 *   <tr><td>{@code PORT}</td><td>{@code 8787}</td><td>the gateway's port; {@code 0} picks a free one</td></tr>
 *   <tr><td>{@code LOOM_DATA_DIR}</td><td>{@code ./data}</td><td>broker logs, H2 database, node key</td></tr>
 *   <tr><td>{@code LOOM_PG_URL}</td><td>none: H2</td><td>PostgreSQL instead of the H2 file</td></tr>
 *   <tr><td>{@code LOOM_H2_CACHE_MB}</td><td>{@code 64}</td><td>the H2 file's page cache, in megabytes of heap</td></tr>
 *   <tr><td>{@code LOOM_PG_USER}, {@code LOOM_PG_PASSWORD}</td><td>from the URL</td><td>its credentials</td></tr>
 *   <tr><td>{@code LOOM_PG_STATE_KEY}</td><td>{@code default}</td><td>which set of schemas the node uses</td></tr>
 *   <tr><td>{@code LOOM_KAFKA_BOOTSTRAP_SERVERS}</td><td>none: embedded</td><td>an existing broker</td></tr>
 *   <tr><td>{@code LOOM_NODE_SIGNING_PRIVATE_KEY_PEM}</td><td>none: generated</td><td>the node key, PKCS#8</td></tr>
 *   <tr><td>{@code LOOM_NODE_SIGNING_KEY_ID}</td><td>{@code k_node_sign_local_1}</td><td>its key id</td></tr>
 * </table>
 *
 * <p>A variable that is set but blank counts as unset.
 *
 * @param host                  the gateway's listen address
 * @param port                  the gateway's port, 0 for any free one
 * @param dataDir               absolute, normalised data directory
 * @param database              the H2 file under {@code dataDir/db}, or PostgreSQL
 * @param stateKey              which set of schemas in that database the node uses
 * @param kafkaBootstrapServers an external broker; empty to run the embedded one
 * @param signingKeyPem         the configured node key; empty to generate one under {@code dataDir}
 * @param signingKeyId          the id the node key is published under
 * @param loomVariables         every {@code LOOM_*} variable of the environment the settings were read from, handed to
 *                              every service so that their own settings ({@code LOOM_ADMIN_TOKEN}, ...) see the same
 *                              environment whether the node was started from a shell or from code
 */
public record EmbeddedNodeSettings(
        String host,
        int port,
        Path dataDir,
        NodeDatabase database,
        StateKey stateKey,
        Optional<String> kafkaBootstrapServers,
        Optional<String> signingKeyPem,
        String signingKeyId,
        Map<String, String> loomVariables) {

    public static final String HOST = "HOST";
    public static final String PORT = "PORT";
    public static final String DATA_DIR = "LOOM_DATA_DIR";
    public static final String PG_URL = "LOOM_PG_URL";
    public static final String H2_CACHE_MB = "LOOM_H2_CACHE_MB";
    public static final String PG_USER = "LOOM_PG_USER";
    public static final String PG_PASSWORD = "LOOM_PG_PASSWORD";
    public static final String PG_STATE_KEY = "LOOM_PG_STATE_KEY";
    public static final String KAFKA_BOOTSTRAP_SERVERS = "LOOM_KAFKA_BOOTSTRAP_SERVERS";
    public static final String SIGNING_PRIVATE_KEY_PEM = "LOOM_NODE_SIGNING_PRIVATE_KEY_PEM";
    public static final String SIGNING_KEY_ID = "LOOM_NODE_SIGNING_KEY_ID";

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8787;
    public static final String DEFAULT_DATA_DIR = "./data";
    public static final String DEFAULT_SIGNING_KEY_ID = "k_node_sign_local_1";

    public EmbeddedNodeSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(stateKey, "stateKey");
        Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
        Objects.requireNonNull(signingKeyPem, "signingKeyPem");
        Objects.requireNonNull(signingKeyId, "signingKeyId");
        loomVariables = Map.copyOf(loomVariables);
        if (port < 0 || port > 65_535) {
            throw new NodeStartupException(PORT + " must be between 0 and 65535, got " + port);
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /**
     * Reads the settings from environment variables (normally {@link System#getenv()}).
     *
     * @throws NodeStartupException when a variable has a value the node cannot use
     */
    public static EmbeddedNodeSettings fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        String host = value(environment, HOST).orElse(DEFAULT_HOST);
        int port = value(environment, PORT).map(EmbeddedNodeSettings::parsePort).orElse(DEFAULT_PORT);
        Path dataDir = dataDir(value(environment, DATA_DIR).orElse(DEFAULT_DATA_DIR));
        NodeDatabase database = value(environment, PG_URL)
                .<NodeDatabase>map(url -> PostgresDatabase.fromUrl(
                        url, value(environment, PG_USER), value(environment, PG_PASSWORD)))
                .orElseGet(() -> new H2FileDatabase(dataDir.resolve("db"), value(environment, H2_CACHE_MB)
                        .map(EmbeddedNodeSettings::parseCacheMegabytes).orElse(H2FileDatabase.DEFAULT_CACHE_MB)));
        return new EmbeddedNodeSettings(
                host,
                port,
                dataDir,
                database,
                value(environment, PG_STATE_KEY).map(StateKey::parse).orElse(StateKey.DEFAULT),
                value(environment, KAFKA_BOOTSTRAP_SERVERS),
                value(environment, SIGNING_PRIVATE_KEY_PEM),
                value(environment, SIGNING_KEY_ID).orElse(DEFAULT_SIGNING_KEY_ID),
                loomVariables(environment));
    }

    /**
     * What every service context sees of the environment: the {@code LOOM_*} variables, with {@code LOOM_DATA_DIR}
     * as the absolute directory the node uses (services keep their files beneath it, e.g. blobs).
     */
    public Map<String, Object> serviceEnvironment() {
        Map<String, Object> variables = new java.util.LinkedHashMap<>(loomVariables);
        variables.put(DATA_DIR, dataDir.toString());
        return variables;
    }

    private static Map<String, String> loomVariables(Map<String, String> environment) {
        Map<String, String> variables = new java.util.TreeMap<>();
        environment.forEach((name, value) -> {
            if (name != null && value != null && name.startsWith("LOOM_")) {
                variables.put(name, value);
            }
        });
        return variables;
    }

    /** Whether the node runs its own broker rather than using {@code LOOM_KAFKA_BOOTSTRAP_SERVERS}. */
    public boolean embeddedKafka() {
        return kafkaBootstrapServers.isEmpty();
    }

    /** Key material and passwords stay out of logs. */
    @Override
    public String toString() {
        return "EmbeddedNodeSettings[host=" + host + ", port=" + port + ", dataDir=" + dataDir
                + ", database=" + database.kind() + " " + database.location() + ", stateKey=" + stateKey
                + ", kafka=" + kafkaBootstrapServers.orElse("embedded")
                + ", signingKey=" + (signingKeyPem.isPresent() ? "configured" : "kept in the data directory")
                + ", signingKeyId=" + signingKeyId + "]";
    }

    private static Optional<String> value(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).map(String::strip).filter(text -> !text.isEmpty());
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the same message as an out-of-range number
        }
        throw new NodeStartupException(PORT + " must be a port number between 0 and 65535, got '" + text + "'");
    }

    private static int parseCacheMegabytes(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new NodeStartupException(H2_CACHE_MB + " must be a whole number of megabytes, got '" + text + "'");
        }
    }

    private static Path dataDir(String text) {
        try {
            return Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new NodeStartupException(DATA_DIR + " is not a usable path: " + e.getMessage(), e);
        }
    }
}
