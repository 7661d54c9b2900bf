package org.loom.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.testsupport.client.NodeClient;
import org.loom.testsupport.client.TestIdentity;

import tools.jackson.databind.JsonNode;

/**
 * docs/api.md's walkthrough against the embedded node started as the README starts it ({@code java -jar
 * launcher/target/loom-node.jar}, in its own process): register, authenticate, send, reply, read; then SIGTERM, a
 * second start on the same data directory, and the conversation is still there; then {@code kill -9}, a third start,
 * and a new reply is decided right away rather than after the crashed consumers' sessions expire. Prints how long the
 * node took to serve {@code /.well-known/loom.json}.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class EmbeddedNodeJarTest {

    /** Fails only when the node never comes up; how fast it comes up is printed, not asserted. */
    private static final Duration READY_BOUND = Duration.ofMinutes(5);
    /**
     * How soon after a restart from a crash a write must be decided. The crashed node's consumers never left their
     * groups; their partitions come free when their sessions expire, counted from the broker's start. With the node's
     * 10 s sessions that has happened before the restarted node answers; with Kafka's 45 s default it took about half
     * a minute longer.
     */
    private static final Duration DECIDED_AFTER_CRASH_BOUND = Duration.ofSeconds(10);
    private static final List<String> JVM_FLAGS = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC");

    @TempDir
    Path dataDir;

    @Test
    void walkthroughRunsAgainstTheRunnableJarAndItsDataSurvivesARestart() {
        int port = ChildJvm.freePort();
        Map<String, String> environment = Map.of("PORT", String.valueOf(port), "LOOM_DATA_DIR", dataDir.toString());
        Path logs = ServiceJars.repositoryRoot().resolve("system-tests/target/embedded-node");
        NodeClient client = new NodeClient("http://127.0.0.1:" + port);
        TestIdentity alice = TestIdentity.generate("loom://alice@node.test");
        TestIdentity bob = TestIdentity.generate("loom://bob@node.test");
        String threadId = LoomIds.next(IdPrefix.THREAD);
        String firstId;
        String replyId;

        ChildJvm node = startAndReport(environment, logs.resolve("first-start.log"), client, "first start");
        try {
            assertThat(client.get("/.well-known/loom.json", null).expect(200).get("domain").stringValue())
                    .isEqualTo("127.0.0.1:" + port);
            client.register(alice);
            client.register(bob);
            String aliceToken = client.token(alice);
            String bobToken = client.token(bob);

            JsonNode first = client.post("/v1/envelopes", aliceToken,
                    NodeClient.message(alice, threadId, null, List.of(bob.identity()), "Can you review the draft?"))
                    .expect(201);
            firstId = first.get("id").stringValue();
            assertThat(first.at("/meta/event_seq").asInt()).isEqualTo(1);
            JsonNode reply = client.post("/v1/envelopes", bobToken,
                    NodeClient.message(bob, threadId, firstId, List.of(alice.identity()), "Yes, this afternoon."))
                    .expect(201);
            replyId = reply.get("id").stringValue();
            assertThat(reply.at("/meta/event_seq").asInt()).isEqualTo(2);

            assertThat(client.get("/v1/threads", aliceToken).expect(200).at("/threads/0/id").stringValue())
                    .isEqualTo(threadId);
            assertThat(client.get("/v1/threads/" + threadId, bobToken).expect(200).get("state").stringValue())
                    .isEqualTo("active");
            assertThat(NodeClient.envelopeIds(client.get("/v1/threads/" + threadId + "/envelopes", bobToken)
                    .expect(200))).containsExactly(firstId, replyId);
            assertThat(client.get("/v1/envelopes/" + replyId, aliceToken).expect(200).get("parent_id")
                    .stringValue()).isEqualTo(firstId);
        } finally {
            assertThat(node.stop(Duration.ofSeconds(60))).as("exit status after SIGTERM").isZero();
        }

        node = startAndReport(environment, logs.resolve("second-start.log"), client, "restart");
        try {
            String aliceToken = client.token(alice);
            assertThat(NodeClient.envelopeIds(client.get("/v1/threads/" + threadId + "/envelopes", aliceToken)
                    .expect(200))).containsExactly(firstId, replyId);
            assertThat(client.get(NodeClient.identityPath(bob.identity()), null).expect(200).get("id").stringValue())
                    .isEqualTo(bob.identity());
        } finally {
            node.kill();
        }

        node = startAndReport(environment, logs.resolve("third-start.log"), client, "restart after kill -9");
        try {
            long answering = System.nanoTime();
            String bobToken = client.token(bob);
            JsonNode late = client.submit(bobToken, NodeClient.message(bob, threadId, replyId,
                    List.of(alice.identity()), "Back after the crash."), Duration.ofSeconds(90)).expect(201);
            Duration decidedAfter = Duration.ofNanos(System.nanoTime() - answering);
            System.out.printf(Locale.ROOT, "first write after kill -9 and restart decided %.1f s after the node"
                    + " answered%n", decidedAfter.toMillis() / 1000.0);
            assertThat(decidedAfter).as("first write after a crash decided within %s", DECIDED_AFTER_CRASH_BOUND)
                    .isLessThan(DECIDED_AFTER_CRASH_BOUND);
            assertThat(late.at("/meta/event_seq").asInt()).isEqualTo(3);
            assertThat(NodeClient.envelopeIds(client.get("/v1/threads/" + threadId + "/envelopes",
                    client.token(alice)).expect(200))).containsExactly(firstId, replyId, late.get("id").stringValue());
        } finally {
            assertThat(node.stop(Duration.ofSeconds(60))).as("exit status after SIGTERM").isZero();
        }
    }

    private static ChildJvm startAndReport(Map<String, String> environment, Path log, NodeClient client,
                                           String what) {
        ChildJvm node = ChildJvm.start("loom-node", ServiceJars.embeddedNodeJar(), JVM_FLAGS, environment, log);
        Duration ready = node.awaitHttpOk(client.baseUrl() + "/.well-known/loom.json", READY_BOUND);
        System.out.printf(Locale.ROOT, "loom-node.jar (%s) served /.well-known/loom.json %.1f s after java -jar%n",
                what, ready.toMillis() / 1000.0);
        return node;
    }

}
