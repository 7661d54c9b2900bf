package org.loom.system;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.loom.system.FaultChecks.Kill;
import org.loom.testsupport.TestInfrastructure;

/**
 * Each of the five services of a split node is killed with {@code kill -9} in turn and started again, while the
 * {@link MixedLoad} runs: envelopes (some to another node, through the federation outbox), webhook deliveries and
 * emails to a real SMTP server. Afterwards nothing accepted is lost or stored twice and every outbox has drained (see
 * {@link MixedLoad#verify}). A delivery that arrives twice is accepted only when its service was killed right after the
 * first copy arrived (delivery is at least once, and the repeat carries the same id for the receiver to drop).
 */
@ExtendWith(SharedSplitNode.class)
@Timeout(value = 25, unit = TimeUnit.MINUTES)
class ServiceKillUnderLoadTest {

    /** The order of the kills: the gateway last, when every other service has come back once. */
    private static final List<String> VICTIMS = List.of("envelope-service", "federation-service", "delivery-worker",
            "email-bridge", "api-gateway");
    /** How long a killed service stays down: long enough for requests in flight to hit the gap. */
    private static final Duration DOWN_FOR = Duration.ofSeconds(2);
    /** A repeat is explained by a kill that came at most this long after the first copy (the attempt timeout). */
    private static final Duration REPEAT_WINDOW = Duration.ofSeconds(15);

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String PEER_DOMAIN = "peer-" + RUN + ".test";
    private static CompletableFuture<PeerNode> peerStarting;
    private static MailReceiver mail;

    /** The other node and the SMTP server start while the split node does (they share nothing with it). */
    @BeforeAll
    static void startPeerAndMailServer() {
        Path workDir = ServiceJars.repositoryRoot().resolve("system-tests/target/fault-peer-" + RUN);
        peerStarting = CompletableFuture.supplyAsync(() -> PeerNode.start(PEER_DOMAIN, workDir).awaitReady());
        mail = MailReceiver.start(SharedSplitNode.SMTP_PORT);
    }

    @AfterAll
    static void stopPeerAndMailServer() {
        if (mail != null) {
            mail.close();
        }
        if (peerStarting != null) {
            peerStarting.thenAccept(PeerNode::close).exceptionally(failure -> null).join();
        }
    }

    @Test
    void killingEachServiceUnderLoadLosesNoEnvelopeDuplicatesNoDeliveryAndOutboxesResume(SplitNode node)
            throws Exception {
        long began = System.nanoTime();
        PeerNode peer = peerStarting.get(6, TimeUnit.MINUTES);
        List<Kill> kills = new ArrayList<>();
        try (MixedLoad load = MixedLoad.start(node, peer, mail, RUN)) {
            load.awaitProgress("before the first kill", load.progress(), new MixedLoad.Progress(8, 4, 2));
            for (String victim : VICTIMS) {
                MixedLoad.Progress before = load.progress();
                kills.add(new Kill(victim, Instant.now()));
                node.kill(victim);
                ChildJvm.pause(DOWN_FOR);
                long restarting = System.nanoTime();
                node.restart(victim);
                System.out.printf(Locale.ROOT, "fault test: %s killed and healthy again %.1f s later%n", victim,
                        (System.nanoTime() - restarting) / 1e9 + DOWN_FOR.toSeconds());
                // Work resumes everywhere before the next kill, so every kill lands on a working node.
                load.awaitProgress("after restarting " + victim, before, new MixedLoad.Progress(4, 2, 1));
            }
            load.stop();
            load.verify(TestInfrastructure.get().kafkaBootstrapServers(), kills, REPEAT_WINDOW);
            System.out.printf(Locale.ROOT, "fault test: %s; %.0f s in all%n", load.summary(),
                    (System.nanoTime() - began) / 1e9);
        }
    }
}
