package org.loom.testsupport;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.loom.protocol.kafka.Topic;
import org.loom.protocol.kafka.Topics;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The Kafka broker and PostgreSQL server every test in this JVM shares.
 *
 * <p>The mode comes from the {@code loom.test.infra} system property or the {@code LOOM_TEST_INFRA} environment
 * variable ({@code local} or {@code containers}); when neither is set, containers are used if Docker answers, else the
 * local mode. Each resource starts on first use and only once per JVM: a test that needs only a database never starts
 * a broker. Everything is stopped, and every schema handed out is dropped, by a shutdown hook.
 *
 * <p>The broker has every topic of {@link Topics#all()} with its partition count and compaction already created, and
 * starts consumer groups without the broker's usual initial rebalance delay.
 *
 * <p>Local PostgreSQL settings: {@code LOOM_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test}),
 * {@code LOOM_TEST_PG_USER} (default {@code postgres}), {@code LOOM_TEST_PG_PASSWORD} (default empty, for trust
 * authentication). Container images: {@code LOOM_TEST_KAFKA_IMAGE}, {@code LOOM_TEST_PG_IMAGE}.
 */
public final class TestInfrastructure {

    private static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String DEFAULT_KAFKA_IMAGE = "apache/kafka-native:4.1.2";
    private static final String DEFAULT_PG_IMAGE = "postgres:17-alpine";
    private static final int ADMIN_TIMEOUT_SECONDS = 30;
    private static final String EMBEDDED_BROKERS_PROPERTY = "spring.embedded.kafka.brokers";

    private static final System.Logger LOG = System.getLogger(TestInfrastructure.class.getName());

    private static TestInfrastructure instance;

    private final InfrastructureMode mode;
    private final Map<String, String> environment;
    private final Deque<Runnable> shutdownSteps = new ArrayDeque<>();
    private final Map<String, PostgresSchema> schemas = new ConcurrentHashMap<>();
    private CompletableFuture<String> kafka;
    private PostgresServer postgres;

    private TestInfrastructure(InfrastructureMode mode, Map<String, String> environment) {
        this.mode = mode;
        this.environment = environment;
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "loom-test-infrastructure-shutdown"));
    }

    /** The infrastructure of this JVM, set up on first call. */
    public static synchronized TestInfrastructure get() {
        if (instance == null) {
            InfrastructureMode mode = InfrastructureMode.configured(
                    () -> DockerClientFactory.instance().isDockerAvailable());
            instance = new TestInfrastructure(mode, System.getenv());
        }
        return instance;
    }

    /** Whether this JVM runs against embedded/local servers or containers. */
    public InfrastructureMode mode() {
        return mode;
    }

    /** The bootstrap address of the shared broker, starting it on first call and waiting until it is ready. */
    public String kafkaBootstrapServers() {
        try {
            return kafkaStarting().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Starts the broker on a background thread unless it is already started or starting, and returns at once. A test
     * context calls this before it initialises, so the broker boots while the context does.
     */
    public void startKafkaInBackground() {
        kafkaStarting();
    }

    private synchronized CompletableFuture<String> kafkaStarting() {
        if (kafka == null) {
            CompletableFuture<String> starting = new CompletableFuture<>();
            Thread starter = new Thread(() -> {
                try {
                    String bootstrap = mode == InfrastructureMode.LOCAL ? startEmbeddedBroker() : startKafkaContainer();
                    createTopics(bootstrap, Topics.all());
                    starting.complete(bootstrap);
                } catch (RuntimeException | Error e) {
                    starting.completeExceptionally(e);
                }
            }, "loom-test-kafka-start");
            starter.setDaemon(true);
            starter.start();
            kafka = starting;
        }
        return kafka;
    }

    /**
     * Starts a broker of its own, with the node's topics, for a test that runs a second node: the topic names are
     * fixed, so two nodes must never share a broker. It stops when this JVM exits.
     *
     * @return its bootstrap address
     */
    public String startSeparateKafka() {
        String bootstrap = mode == InfrastructureMode.LOCAL ? startSeparateEmbeddedBroker() : startKafkaContainer();
        createTopics(bootstrap, Topics.all());
        return bootstrap;
    }

    private String startSeparateEmbeddedBroker() {
        // The embedded broker publishes its address in a system property; the shared broker's must stay there.
        String shared = System.getProperty(EMBEDDED_BROKERS_PROPERTY);
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of("group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "5"));
        broker.brokerListProperty("loom.test.kafka.separate-bootstrap-servers");
        try {
            broker.afterPropertiesSet();
        } finally {
            if (shared == null) {
                System.clearProperty(EMBEDDED_BROKERS_PROPERTY);
            } else {
                System.setProperty(EMBEDDED_BROKERS_PROPERTY, shared);
            }
        }
        onShutdown(broker::destroy);
        return broker.getBrokersAsString();
    }

    /**
     * Creates an empty schema named {@code t_<prefix>_<time>_<random>}, unique across JVMs sharing the server, and
     * dropped when this JVM exits.
     */
    public PostgresSchema newSchema(String prefix) {
        PostgresSchema schema = postgresServer().createSchema(prefix);
        schemas.put(schema.schema(), schema);
        return schema;
    }

    private synchronized PostgresServer postgresServer() {
        if (postgres == null) {
            PostgresServer server = mode == InfrastructureMode.LOCAL ? localPostgres() : startPostgresContainer();
            server.checkReachable();
            if (mode == InfrastructureMode.LOCAL) {
                server.dropAbandonedSchemas(Instant.now());
            }
            postgres = server;
        }
        return postgres;
    }

    private PostgresServer localPostgres() {
        return new PostgresServer(
                environment.getOrDefault("LOOM_TEST_PG_URL", DEFAULT_PG_URL),
                environment.getOrDefault("LOOM_TEST_PG_USER", "postgres"),
                environment.getOrDefault("LOOM_TEST_PG_PASSWORD", ""));
    }

    private PostgresServer startPostgresContainer() {
        PostgreSQLContainer container =
                new PostgreSQLContainer(environment.getOrDefault("LOOM_TEST_PG_IMAGE", DEFAULT_PG_IMAGE));
        container.start();
        onShutdown(container::stop);
        return new PostgresServer(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    private String startEmbeddedBroker() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of(
                // Consumer groups form at once instead of waiting for more members.
                "group.initial.rebalance.delay.ms", "0",
                // The default of 50 offset partitions slows the first group join for nothing on one broker.
                "offsets.topic.num.partitions", "5"));
        // Keep the address out of the global spring.kafka.bootstrap-servers property: contexts opt in explicitly.
        broker.brokerListProperty("loom.test.kafka.bootstrap-servers");
        broker.afterPropertiesSet();
        onShutdown(broker::destroy);
        return broker.getBrokersAsString();
    }

    private String startKafkaContainer() {
        KafkaContainer container =
                new KafkaContainer(environment.getOrDefault("LOOM_TEST_KAFKA_IMAGE", DEFAULT_KAFKA_IMAGE))
                        .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        onShutdown(container::stop);
        return container.getBootstrapServers();
    }

    private static void createTopics(String bootstrapServers, List<Topic> topics) {
        List<NewTopic> newTopics = topics.stream()
                .map(topic -> new NewTopic(topic.name(), topic.partitions(), (short) 1)
                        .configs(topic.creationConfigs()))
                .toList();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(newTopics).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the node's topics on " + bootstrapServers, e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating the node's topics on " + bootstrapServers + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    private synchronized void onShutdown(Runnable step) {
        shutdownSteps.push(Objects.requireNonNull(step));
    }

    private void shutdown() {
        for (PostgresSchema schema : schemas.values()) {
            try {
                schema.drop();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "could not drop test schema " + schema.schema(), e);
            }
        }
        Deque<Runnable> steps;
        synchronized (this) {
            steps = new ArrayDeque<>(shutdownSteps);
        }
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not stop test infrastructure", e);
            }
        }
    }
}
