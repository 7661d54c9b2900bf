package org.loom.system;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.loom.protocol.kafka.Topics;

/**
 * A Kafka broker in a JVM of its own ({@link KafkaBrokerMain}), on fixed ports and a fixed log directory, so that it
 * can be killed with {@code kill -9} and started again where clients expect it, with its data.
 */
final class KafkaBrokerProcess implements AutoCloseable {

    private static final List<String> JVM_FLAGS = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:+ExitOnOutOfMemoryError");
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final Path logDir;
    private final Path processLogs;
    private final int brokerPort = ChildJvm.freePort();
    private final int controllerPort = ChildJvm.freePort();
    private ChildJvm process;
    private int starts;

    private KafkaBrokerProcess(Path workDir) {
        this.logDir = workDir.resolve("kafka-data");
        this.processLogs = workDir.resolve("logs");
    }

    /** Starts a fresh broker under {@code workDir}, creates the node's topics and returns once it answers. */
    static KafkaBrokerProcess start(Path workDir) {
        KafkaBrokerProcess broker = new KafkaBrokerProcess(workDir);
        broker.launch();
        broker.createNodeTopics();
        return broker;
    }

    /** Every topic of the node, as compose's topic job creates them. */
    private void createNodeTopics() {
        List<NewTopic> topics = Topics.all().stream()
                .map(topic -> new NewTopic(topic.name(), topic.partitions(), (short) 1).configs(topic.creationConfigs()))
                .toList();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the node's topics on " + bootstrapServers(), e);
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** {@code kill -9}: nothing is flushed, the broker recovers its logs on the next start. */
    void kill() {
        process.kill();
    }

    /** Starts the broker again on the same ports and directory, and waits until it serves clients. */
    void restart() {
        launch();
    }

    private void launch() {
        process = ChildJvm.startMain("kafka-broker", KafkaBrokerMain.class,
                List.of(logDir.toString(), String.valueOf(brokerPort), String.valueOf(controllerPort)),
                JVM_FLAGS, processLogs.resolve("kafka-broker-" + (++starts) + ".log"));
        awaitServing();
    }

    /** Polls until the broker lists its cluster's nodes to an admin client; fails when the process exits. */
    private void awaitServing() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the broker exited; log " + process.log() + ":\n" + process.tail());
            }
            if (listening()) {
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000",
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000"))) {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    // not serving yet
                }
            }
            ChildJvm.pause(Duration.ofMillis(250));
        }
        throw new AssertionError("the broker did not serve within " + READY_TIMEOUT + "; log " + process.log()
                + ":\n" + process.tail());
    }

    private boolean listening() {
        try (Socket socket = new Socket("127.0.0.1", brokerPort)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.stop(Duration.ofSeconds(30));
        }
    }
}
