package org.loom.launcher;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.loom.protocol.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The whole LOOM node in one process, with nothing else to install: an embedded Kafka broker (unless
 * {@code LOOM_KAFKA_BOOTSTRAP_SERVERS} names one), an H2 database file (unless {@code LOOM_PG_URL} names PostgreSQL),
 * the node signing key, and the five services as separate Spring contexts on loopback ports, the gateway last and on
 * the public {@code HOST:PORT}.
 *
 * <p>{@link #main} is the command-line entry point; {@link #start(EmbeddedNodeSettings)} runs a node inside a caller's
 * JVM, as the tests do. {@link #close()} stops it in the reverse order: the gateway first, so no new request arrives,
 * then the services, then the broker they were using.
 */
public final class LoomNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoomNode.class);

    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** What the JVM exits with once the shutdown hook has stopped the node. */
    private static volatile int exitStatus;

    private final EmbeddedNodeSettings settings;
    private final List<RunningService> internalServices = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile EmbeddedKafka kafka;
    private volatile H2Housekeeping h2Housekeeping;
    private volatile RunningService gateway;
    private volatile String bootstrapServers;
    private volatile NodeSigningKey signingKey;
    private volatile boolean closing;

    private LoomNode(EmbeddedNodeSettings settings) {
        this.settings = settings;
    }

    /** Starts the node with settings from the environment and runs it until Ctrl-C or SIGTERM. */
    public static void main(String[] args) {
        NodeLogging.initialize();
        LoomNode node;
        try {
            node = new LoomNode(EmbeddedNodeSettings.fromEnvironment(System.getenv()));
        } catch (NodeStartupException e) {
            failAndExit(e.getMessage());
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            System.out.flush();
            System.err.flush();
            // A JVM stopped by a signal otherwise exits with 128 + the signal number; a node that stopped cleanly on
            // request has done nothing wrong, and a supervisor should see that.
            Runtime.getRuntime().halt(exitStatus);
        }, "loom-node-shutdown"));
        try {
            node.startAll();
        } catch (NodeStartupException e) {
            failAndExit(e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.error("LOOM node failed to start", e);
            failAndExit(e.toString());
            return;
        }
        node.awaitStop();
    }

    /**
     * Starts a node and returns once the gateway accepts requests.
     *
     * @throws NodeStartupException when a port is taken, the data directory is unusable, or a part fails to start;
     *                              whatever had started is stopped again
     */
    public static LoomNode start(EmbeddedNodeSettings settings) {
        LoomNode node = new LoomNode(settings);
        node.startAll();
        return node;
    }

    /** The settings the node runs with. */
    public EmbeddedNodeSettings settings() {
        return settings;
    }

    /** The gateway's base URL, e.g. {@code http://127.0.0.1:8787}, with the port actually bound. */
    public String gatewayUrl() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return "http://" + host + ":" + requireRunning().port();
    }

    /** The gateway's port, the one actually bound when {@code PORT} was 0. */
    public int gatewayPort() {
        return requireRunning().port();
    }

    /** The HTTP port of every service by name, the gateway first. */
    public Map<String, Integer> servicePorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put(NodeServices.GATEWAY.name(), requireRunning().port());
        internalServices.forEach(running -> ports.put(running.service().name(), running.port()));
        return Collections.unmodifiableMap(ports);
    }

    /** The broker the services use. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The node key handed to the services. */
    public NodeSigningKey signingKey() {
        return signingKey;
    }

    /**
     * Every service's Spring context by service name, the gateway first: what each service maps and holds, for
     * inspecting a running node from the same JVM.
     */
    public Map<String, ApplicationContext> serviceContexts() {
        Map<String, ApplicationContext> contexts = new LinkedHashMap<>();
        contexts.put(NodeServices.GATEWAY.name(), requireRunning().context());
        internalServices.forEach(running -> contexts.put(running.service().name(), running.context()));
        return Collections.unmodifiableMap(contexts);
    }

    /** A property as one service context sees it, to check what the launcher handed to which service. */
    String serviceProperty(String serviceName, String property) {
        RunningService running = requireRunning();
        if (!running.service().name().equals(serviceName)) {
            running = internalServices.stream()
                    .filter(candidate -> candidate.service().name().equals(serviceName))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no service named " + serviceName));
        }
        return running.context().getEnvironment().getProperty(property);
    }

    /**
     * Stops the gateway, then the internal services, then the embedded broker, waiting a bounded time for each.
     * Calling it again does nothing.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        if (kafka == null && internalServices.isEmpty() && gateway == null) {
            // Refused before anything started: there is nothing to stop and nothing worth reporting.
            closeDatabase();
            stopped.countDown();
            return;
        }
        long began = System.nanoTime();
        log.info("Stopping LOOM node");
        RunningService runningGateway = gateway;
        if (runningGateway != null) {
            stopContexts(List.of(runningGateway));
        }
        stopContexts(List.copyOf(internalServices));
        closeDatabase();
        EmbeddedKafka broker = kafka;
        if (broker != null && !broker.close(STOP_TIMEOUT)) {
            log.warn("The embedded Kafka broker did not stop within {} s", STOP_TIMEOUT.toSeconds());
        }
        log.info("LOOM node stopped in {}", elapsed(began));
        stopped.countDown();
    }

    private void startAll() {
        NodeLogging.initialize();
        long began = System.nanoTime();
        try {
            log.info("Starting LOOM node (data: {})", settings.dataDir());
            prepareDataDir(settings.dataDir());
            FreePorts.requireBindable(settings.host(), settings.port());
            // The quick checks come first, so a bad key or database directory is reported before the broker starts.
            prepareSigningKey();
            prepareDatabase();
            startBroker();
            Map<String, Integer> internalPorts = new LinkedHashMap<>();
            NodeServices.INTERNAL.forEach(service -> internalPorts.put(service.name(), FreePorts.pick()));
            ServiceWiring wiring = new ServiceWiring(bootstrapServers, signingKey, settings.database(),
                    settings.stateKey(), internalPorts);
            startInternalServices(wiring);
            // PORT=0 is resolved here rather than by the server, so the node document advertises the real port.
            int gatewayPort = settings.port() == 0 ? FreePorts.pick() : settings.port();
            RunningService runningGateway = startService(NodeServices.GATEWAY, wiring, settings.host(), gatewayPort);
            gateway = runningGateway;
            abortIfClosing(runningGateway);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("LOOM node ready on {} (data: {}, broker: {}, database: {}) in {}", gatewayUrl(),
                settings.dataDir(), bootstrapServers, settings.database().kind(), elapsed(began));
        for (RunningService running : internalServices) {
            log.info("  {} on http://{}:{}", running.service().name(), ServiceWiring.INTERNAL_ADDRESS,
                    running.port());
        }
    }

    private void startBroker() {
        long began = System.nanoTime();
        if (settings.embeddedKafka()) {
            EmbeddedKafka broker = EmbeddedKafka.start(settings.dataDir().resolve("kafka"));
            kafka = broker;
            bootstrapServers = broker.bootstrapServers();
            if (closing) {
                broker.close(STOP_TIMEOUT);
                throw new NodeStartupException("the node was stopped while starting");
            }
            log.info("Embedded Kafka broker up on {} in {}", bootstrapServers, elapsed(began));
        } else {
            bootstrapServers = settings.kafkaBootstrapServers().orElseThrow();
            log.info("Using the Kafka broker at {}", bootstrapServers);
        }
        List<String> created = NodeTopics.ensureCreated(bootstrapServers, Topics.all(), TOPIC_TIMEOUT);
        log.info("Topics ready: {} of {} created now", created.size(), Topics.all().size());
    }

    private void prepareSigningKey() {
        NodeSigningKey key = NodeSigningKey.prepare(settings);
        signingKey = key;
        switch (key.origin()) {
            case CONFIGURED -> log.info("Node signing key {} from {}", key.keyId(),
                    EmbeddedNodeSettings.SIGNING_PRIVATE_KEY_PEM);
            case LOADED -> log.info("Node signing key {} loaded from {}", key.keyId(),
                    NodeSigningKey.keyFile(settings.dataDir()));
            case GENERATED -> log.info("Node signing key {} generated and kept in {}", key.keyId(),
                    NodeSigningKey.keyFile(settings.dataDir()));
        }
    }

    private void prepareDatabase() {
        if (settings.database() instanceof H2FileDatabase h2) {
            createDirectory(h2.directory(), "database directory");
            h2Housekeeping = H2Housekeeping.start(h2);
        }
        log.info("Database: {} at {}", settings.database().kind(), settings.database().location());
    }

    /** Ends the embedded database's maintenance; the file closes with the services' last connection. */
    private void closeDatabase() {
        H2Housekeeping housekeeping = h2Housekeeping;
        h2Housekeeping = null;
        if (housekeeping != null) {
            housekeeping.close();
        }
    }

    /**
     * Starts the internal services one after another. Side by side they were no faster on two cores (start-up is
     * class loading and bean creation, both CPU-bound), and one at a time keeps the log readable and stops at the
     * first failure.
     */
    private void startInternalServices(ServiceWiring wiring) {
        for (NodeService service : NodeServices.INTERNAL) {
            int port = wiring.internalPorts().get(service.name());
            RunningService running = startService(service, wiring, ServiceWiring.INTERNAL_ADDRESS, port);
            internalServices.add(running);
            abortIfClosing(running);
        }
    }

    private RunningService startService(NodeService service, ServiceWiring wiring, String address, int port) {
        long began = System.nanoTime();
        log.info("Starting {}", service.name());
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(
                new MapPropertySource("loomEmbeddedNode", wiring.propertiesFor(service, address, port)));
        // The LOOM_* settings this node was started with, read like environment variables (relaxed binding
        // included), ahead of the JVM's own environment: two nodes in one JVM can differ.
        environment.getPropertySources().addAfter("loomEmbeddedNode", new SystemEnvironmentPropertySource(
                "loomNodeSettings", new HashMap<>(settings.serviceEnvironment())));
        ConfigurableApplicationContext context;
        try {
            context = new SpringApplicationBuilder(service.application())
                    .main(service.application())
                    .environment(environment)
                    .properties(ServiceWiring.DEFAULTS)
                    .registerShutdownHook(false)
                    .run();
        } catch (RuntimeException e) {
            throw startFailure(service, address, port, e);
        }
        int boundPort = context.getEnvironment().getProperty("local.server.port", Integer.class, port);
        log.info("{} started on http://{}:{} in {}", service.name(), address, boundPort, elapsed(began));
        return new RunningService(service, context, boundPort);
    }

    private static NodeStartupException startFailure(NodeService service, String address, int port,
                                                     RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PortInUseException) {
                String advice = service.equals(NodeServices.GATEWAY)
                        ? "choose another " + EmbeddedNodeSettings.PORT + " or stop the program using it"
                        : "it was free a moment earlier and another program took it; start the node again";
                return new NodeStartupException(service.name() + " cannot listen on " + address + ":" + port
                        + ": the port is already in use (" + advice + ")", failure);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root.getMessage() != null ? root.getMessage() : root.toString();
        return new NodeStartupException(service.name() + " did not start: " + reason, failure);
    }

    private void abortIfClosing(RunningService running) {
        // close() may have run while this part was starting and missed it: stop it here instead.
        if (closing) {
            stopContexts(List.of(running));
            throw new NodeStartupException("the node was stopped while starting");
        }
    }

    private void stopContexts(List<RunningService> services) {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (RunningService running : services) {
            log.info("Stopping {}", running.service().name());
            stopping.add(CompletableFuture.runAsync(running.context()::close,
                    newThread("stop-" + running.service().name())));
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (int i = 0; i < stopping.size(); i++) {
            String name = services.get(i).service().name();
            try {
                stopping.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                log.warn("{} did not stop within {} s; leaving it behind", name, STOP_TIMEOUT.toSeconds());
            } catch (ExecutionException e) {
                log.warn("{} failed while stopping", name, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RunningService requireRunning() {
        RunningService running = gateway;
        if (running == null) {
            throw new IllegalStateException("the node is not running");
        }
        return running;
    }

    /** Creates the data directory if needed and proves it writable before anything is written into it. */
    private static void prepareDataDir(Path dataDir) {
        createDirectory(dataDir, "data directory");
        try {
            Path probe = Files.createTempFile(dataDir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new NodeStartupException("the data directory " + dataDir + " is not writable ("
                    + reason(e) + "). Set " + EmbeddedNodeSettings.DATA_DIR
                    + " to a directory this user can write.", e);
        }
    }

    private static void createDirectory(Path directory, String what) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new NodeStartupException("cannot create the " + what + " " + directory + " (" + reason(e)
                    + "). Set " + EmbeddedNodeSettings.DATA_DIR + " to a directory this user can write.", e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way";
        }
        if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            return fileSystem.getReason();
        }
        return e.getMessage();
    }

    private static Executor newThread(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            thread.start();
        };
    }

    private static String elapsed(long beganNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - beganNanos) / 1e9);
    }

    private static void failAndExit(String reason) {
        exitStatus = 1;
        System.err.println("LOOM node failed to start: " + reason);
        System.exit(1);
    }

    /** A service context that started, with the HTTP port it bound. */
    private record RunningService(NodeService service, ConfigurableApplicationContext context, int port) {
    }
}
