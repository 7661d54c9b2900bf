package org.loom.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker running in KRaft mode inside this JVM, one process acting as both broker and controller.
 *
 * <p>Everything the broker keeps lives under one directory: the cluster id (created on the first start and reused, so
 * the formatted logs stay valid) and the log directory, which also holds the metadata log. Listener ports are chosen
 * afresh on every start; only clients on this machine can reach them, since both listeners bind to loopback.
 *
 * <p>Internal topics ({@code __consumer_offsets}, transaction state, share-group state) get one replica, the only
 * number a single broker can satisfy, and consumer groups form without the usual initial rebalance delay.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** The fixed id of the only node; it is written into the formatted log directory, so it must never change. */
    static final int NODE_ID = 1;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String CLUSTER_ID_FILE = "cluster.id";
    private static final String LOG_DIR = "logs";
    private static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String clusterId;
    private final Path directory;
    private boolean stopped;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, String clusterId, Path directory) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.clusterId = clusterId;
        this.directory = directory;
    }

    /**
     * Formats the directory on first use, then starts the broker and returns once it accepts client connections.
     *
     * @param directory where the broker keeps its cluster id and logs; created if missing
     * @throws NodeStartupException when the directory cannot be used or the broker does not start
     */
    public static EmbeddedKafka start(Path directory) {
        return start(directory, FreePorts.pick(), FreePorts.pick());
    }

    /**
     * As {@link #start(Path)}, on the given ports: a broker started again on the same directory and ports is, to its
     * clients, the broker they knew, with its topics, records and committed offsets (the fault tests restart one so).
     */
    public static EmbeddedKafka start(Path directory, int brokerPort, int controllerPort) {
        Objects.requireNonNull(directory, "directory");
        Path root = directory.toAbsolutePath().normalize();
        Path logDir = root.resolve(LOG_DIR);
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new NodeStartupException("cannot create the broker directory " + logDir + ": " + e.getMessage(), e);
        }
        String clusterId = clusterId(root);
        KafkaConfig config = KafkaConfig.fromProps(brokerProperties(logDir, brokerPort, controllerPort), false);
        format(clusterId, logDir);

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw new NodeStartupException("the embedded Kafka broker did not start: " + e.getMessage(), e);
        }
        String bootstrapServers = "127.0.0.1:" + brokerPort;
        log.debug("Embedded Kafka broker {} (cluster {}) started in {}", bootstrapServers, clusterId, root);
        return new EmbeddedKafka(server, bootstrapServers, clusterId, root);
    }

    /** The address clients connect to, e.g. {@code 127.0.0.1:40123}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The cluster id, stable across restarts on the same directory. */
    public String clusterId() {
        return clusterId;
    }

    /** The directory holding the cluster id and the logs. */
    public Path directory() {
        return directory;
    }

    /** Stops the broker, waiting at most 30 seconds; calling it again does nothing. */
    @Override
    public void close() {
        close(DEFAULT_STOP_TIMEOUT);
    }

    /**
     * Stops the broker, waiting at most {@code timeout} for it to flush and release its logs.
     *
     * @return true when the broker stopped in time
     */
    public synchronized boolean close(Duration timeout) {
        if (stopped) {
            return true;
        }
        stopped = true;
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, runnable -> {
            Thread thread = new Thread(runnable, "embedded-kafka-stop");
            thread.setDaemon(true);
            thread.start();
        });
        try {
            stopping.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            log.warn("The embedded Kafka broker did not stop within {}", timeout);
            return false;
        } catch (ExecutionException e) {
            log.warn("The embedded Kafka broker failed while stopping", e.getCause());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("metadata.log.dir", logDir.toString());
        // One broker: every internal topic can have only one replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("min.insync.replicas", "1");
        props.put("default.replication.factor", "1");
        // Nothing else will join a group on this node, so waiting for more members only delays every start.
        props.put("group.initial.rebalance.delay.ms", "0");
        return props;
    }

    /** Reads the cluster id kept beside the logs, creating it on the first start. */
    private static String clusterId(Path root) {
        Path file = root.resolve(CLUSTER_ID_FILE);
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.US_ASCII).strip();
                if (!stored.isEmpty()) {
                    return stored;
                }
            }
            String created = Uuid.randomUuid().toString();
            Files.writeString(file, created + "\n", StandardCharsets.US_ASCII);
            return created;
        } catch (IOException e) {
            throw new NodeStartupException("cannot keep the broker cluster id in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the KRaft metadata on a fresh directory; an already formatted directory is left as it is. */
    private static void format(String clusterId, Path logDir) {
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
                .setNodeId(NODE_ID)
                .setClusterId(clusterId)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setUnstableFeatureVersionsEnabled(false)
                .setIgnoreFormatted(true)
                .addDirectory(logDir.toString());
        try {
            formatter.run();
        } catch (Exception e) {
            throw new NodeStartupException("cannot format the broker directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
        } catch (RuntimeException e) {
            log.debug("Ignoring a failure while stopping a broker that did not start", e);
        }
    }
}
