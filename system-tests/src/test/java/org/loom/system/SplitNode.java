package org.loom.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.loom.protocol.crypto.SigningKey;
import org.loom.system.ComposeFile.ComposeService;
import org.loom.system.ComposeFile.ProbeTarget;
import org.loom.testsupport.PostgresSchema;
import org.loom.testsupport.TestInfrastructure;

/**
 * The node in split mode: every LOOM service of {@code docker-compose.yml} as its own JVM, started from its runnable
 * jar with the environment compose gives it. Only what names the compose network is replaced: the broker and database
 * addresses by the test's ({@link TestInfrastructure}; each service gets a fresh schema), service host names and ports
 * by loopback and free ports, and {@code /run/secrets} by a folder holding the same secret files. Anything a test adds
 * (shorter timers) is laid over all services.
 *
 * <p>A service that gains a database in compose (a {@code SPRING_DATASOURCE_URL}) gets its schema here without a change.
 */
final class SplitNode implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(600);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern CURRENT_SCHEMA = Pattern.compile("[?&]currentSchema=([a-z0-9_]+)");
    private static final String COMPOSE_SECRETS = "/run/secrets/";

    private final Map<String, ComposeService> services;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, PostgresSchema> schemas = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> environments = new LinkedHashMap<>();
    private final Map<String, ChildJvm> running = new ConcurrentHashMap<>();
    private final Path logDir;
    private final SigningKey nodeKey = SigningKey.generate();
    private int starts;

    private SplitNode(ComposeFile compose, Map<String, String> overrides, String bootstrap, Path workDir) {
        this.services = compose.loomServices();
        this.logDir = workDir.resolve("logs");
        services.keySet().forEach(module -> ports.put(module, ChildJvm.freePort()));
        TestInfrastructure infrastructure = TestInfrastructure.get();
        Path secrets = workDir.resolve("secrets");
        services.forEach((module, service) -> environments.put(module,
                environmentFor(service, infrastructure, bootstrap, secrets, overrides)));
        writeSecrets(secrets);
    }

    /**
     * Starts every service side by side and returns once each answers its compose health check.
     *
     * @param overrides environment laid over every service's (test timers, pool sizes)
     */
    static SplitNode start(Map<String, String> overrides) {
        return start(overrides, TestInfrastructure.get().kafkaBootstrapServers());
    }

    /**
     * {@link #start(Map)} against another broker than the test JVM's shared one (a broker the test kills and restarts;
     * it must already have the node's topics).
     */
    static SplitNode start(Map<String, String> overrides, String bootstrap) {
        Path root = ServiceJars.repositoryRoot();
        Path workDir = root.resolve("system-tests/target/split-node")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS")));
        SplitNode node = new SplitNode(ComposeFile.read(root.resolve("docker-compose.yml")), overrides, bootstrap,
                workDir);
        try {
            List<CompletableFuture<Void>> starting = new ArrayList<>();
            node.services.keySet().forEach(module -> node.launch(module));
            node.services.keySet().forEach(module ->
                    starting.add(CompletableFuture.runAsync(() -> node.awaitHealthy(module))));
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
            return node;
        } catch (RuntimeException | Error e) {
            node.close();
            throw e;
        }
    }

    /** The gateway's base URL. */
    String gatewayUrl() {
        return "http://127.0.0.1:" + ports.get("api-gateway");
    }

    /** The module names of the services, in compose order. */
    List<String> modules() {
        return List.copyOf(services.keySet());
    }

    int port(String module) {
        return ports.get(module);
    }

    ChildJvm process(String module) {
        return running.get(module);
    }

    /** The schema a service works in, if it has a database. */
    PostgresSchema schema(String module) {
        return schemas.get(module);
    }

    /** Where the services' logs are written. */
    Path logDir() {
        return logDir;
    }

    /** The environment a service was started with (after the swaps). */
    Map<String, String> environment(String module) {
        return environments.get(module);
    }

    /** {@code kill -9} one service. */
    void kill(String module) {
        running.remove(module).kill();
    }

    /** Starts a stopped or killed service again with the same environment and waits until it is healthy. */
    void restart(String module) {
        launch(module);
        awaitHealthy(module);
    }

    /** Stops every service with SIGTERM, the gateway first, as an orchestrator would. */
    @Override
    public void close() {
        ChildJvm gateway = running.remove("api-gateway");
        if (gateway != null) {
            gateway.stop(STOP_TIMEOUT);
        }
        List<CompletableFuture<Integer>> stopping = new ArrayList<>();
        running.values().forEach(jvm -> stopping.add(CompletableFuture.supplyAsync(() -> jvm.stop(STOP_TIMEOUT))));
        stopping.forEach(CompletableFuture::join);
        running.clear();
    }

    private void launch(String module) {
        ChildJvm jvm = ChildJvm.start(module, ServiceJars.execJar(module), environments.get(module),
                logDir.resolve(module + "-" + (++starts) + ".log"));
        running.put(module, jvm);
    }

    private void awaitHealthy(String module) {
        ProbeTarget probe = services.get(module).healthCheck()
                .orElseThrow(() -> new AssertionError(module + " has no HTTP health check in docker-compose.yml"));
        running.get(module).awaitHttpOk("http://127.0.0.1:" + ports.get(module) + probe.path(), START_TIMEOUT);
    }

    private Map<String, String> environmentFor(ComposeService service, TestInfrastructure infrastructure,
                                               String bootstrap, Path secrets, Map<String, String> overrides) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : service.environment().entrySet()) {
            environment.put(entry.getKey(), toLoopback(entry.getValue()));
        }
        environment.put("HOST", "127.0.0.1");
        environment.put("PORT", String.valueOf(ports.get(service.module())));
        environment.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        environment.computeIfPresent("SPRING_CONFIG_IMPORT", (key, value) ->
                value.replace(COMPOSE_SECRETS, secrets.toString() + "/"));
        String datasource = environment.get("SPRING_DATASOURCE_URL");
        if (datasource != null) {
            Matcher composeSchema = CURRENT_SCHEMA.matcher(datasource);
            if (!composeSchema.find()) {
                throw new AssertionError(service.name() + ": SPRING_DATASOURCE_URL names no currentSchema");
            }
            PostgresSchema schema = infrastructure.newSchema("split_" + composeSchema.group(1));
            schemas.put(service.module(), schema);
            environment.put("SPRING_DATASOURCE_URL", schema.jdbcUrl());
            environment.put("SPRING_DATASOURCE_USERNAME", schema.user());
            environment.replaceAll((key, value) -> key.startsWith("SPRING_FLYWAY_")
                    && value.equals(composeSchema.group(1)) ? schema.schema() : value);
        }
        environment.putAll(overrides);
        return environment;
    }

    /** {@code http://envelope-service:8788} → {@code http://127.0.0.1:<its port>}; the published gateway port too. */
    private String toLoopback(String value) {
        String result = value;
        for (ComposeService other : services.values()) {
            String composePort = other.environment().get("PORT");
            if (composePort != null) {
                String loopback = "127.0.0.1:" + ports.get(other.module());
                result = result.replace("//" + other.name() + ":" + composePort, "//" + loopback);
                if (other.module().equals("api-gateway")) {
                    result = result.replace("127.0.0.1:" + composePort, loopback);
                }
            }
        }
        return result;
    }

    /** The files compose mounts under /run/secrets, under the names the services are given. */
    private void writeSecrets(Path folder) {
        Map<String, String> values = Map.of(
                "node_signing_key", nodeKey.toPkcs8Pem(),
                "postgres_password", schemas.values().stream().findFirst().map(PostgresSchema::password).orElse(""));
        try {
            Files.createDirectories(folder);
            for (ComposeService service : services.values()) {
                for (Map.Entry<String, String> secret : service.secretTargets().entrySet()) {
                    String value = values.get(secret.getKey());
                    if (value == null) {
                        throw new AssertionError("no test value for the compose secret " + secret.getKey());
                    }
                    Files.writeString(folder.resolve(secret.getValue()), value);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node key the services were given as a secret. */
    SigningKey nodeKey() {
        return nodeKey;
    }

}
