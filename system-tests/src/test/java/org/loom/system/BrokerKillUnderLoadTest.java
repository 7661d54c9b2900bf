package org.loom.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Kafka broker of a split node, in a JVM of its own, is killed with {@code kill -9} while the {@link MixedLoad}
 * runs (envelopes, some federated to another node, webhook deliveries, emails to a real SMTP server), then started
 * again on the same port and data. Afterwards nothing accepted is lost or stored twice and every outbox has drained
 * (see {@link MixedLoad#verify}); since no service was killed, no delivery and no email may arrive twice.
 *
 * <p>The broker is not the test JVM's shared one (killing that would break every other test); this class runs in a
 * surefire fork of its own (system-tests/pom.xml, by its tag), with a split node of its own. The other node has its
 * own embedded broker and is not touched.
 */
@Tag("own-broker")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class BrokerKillUnderLoadTest {

    /** Long enough for the services' producers and consumers to notice, short of their own give-up timeouts. */
    private static final Duration DOWN_FOR = Duration.ofSeconds(5);

    @Test
    void killingTheBrokerUnderLoadLosesNoEnvelopeDuplicatesNothingAndOutboxesResume() throws Exception {
        long began = System.nanoTime();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path workDir = ServiceJars.repositoryRoot().resolve("system-tests/target/broker-fault")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS")));
        CompletableFuture<PeerNode> peerStarting = CompletableFuture.supplyAsync(
                () -> PeerNode.start("peer-" + run + ".test", workDir.resolve("peer")).awaitReady());
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(workDir);
                SplitNode node = SplitNode.start(SharedSplitNode.TEST_OVERRIDES, broker.bootstrapServers());
                MailReceiver mail = MailReceiver.start(SharedSplitNode.SMTP_PORT);
                PeerNode peer = peerStarting.get(6, TimeUnit.MINUTES);
                MixedLoad load = MixedLoad.start(node, peer, mail, run)) {
            load.awaitProgress("before the kill", load.progress(), new MixedLoad.Progress(8, 4, 2));
            int undecidedBefore = load.undecidedAnswers();
            MixedLoad.Progress before = load.progress();
            Instant killedAt = Instant.now();
            broker.kill();
            ChildJvm.pause(DOWN_FOR);
            broker.restart();
            System.out.printf(Locale.ROOT, "broker fault test: broker serving again %.1f s after the kill%n",
                    Duration.between(killedAt, Instant.now()).toMillis() / 1000.0);
            load.awaitProgress("after the restart", before, new MixedLoad.Progress(6, 3, 1));
            assertThat(load.undecidedAnswers()).as("the clients felt the broker's absence")
                    .isGreaterThan(undecidedBefore);
            load.stop();
            // No service was killed: no delivery may arrive twice.
            load.verify(broker.bootstrapServers(), List.of(), Duration.ZERO);
            System.out.printf(Locale.ROOT, "broker fault test: %s; %.0f s in all%n", load.summary(),
                    (System.nanoTime() - began) / 1e9);
        } finally {
            peerStarting.thenAccept(PeerNode::close).exceptionally(failure -> null);
        }
    }
}
