package org.loom.envelope.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.loom.envelope.CommandChannel;
import org.loom.envelope.RunningEnvelopeService;
import org.loom.envelope.TestEnvelopes;
import org.loom.protocol.kafka.CommandResult;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two consumers deciding commands of the same new thread at the same moment (as during a rebalance) still hand out
 * each event sequence number once: the second waits for the first's thread row and continues from its counter.
 */
class ConcurrentIngestTest extends RunningEnvelopeService {

    private static final String ALICE = "loom://alice@node.test";
    private static final String BOB = "loom://bob@node.test";
    private static final int ROUNDS = 5;

    @Autowired
    private EnvelopeIngest ingest;

    @Autowired
    private JdbcTemplate jdbc;

    private final TestEnvelopes envelopes = new TestEnvelopes();

    @Test
    void twoCommandsRacingToCreateOneThreadNeverShareAnEventSequenceNumber() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String threadId = TestEnvelopes.newThreadId();
                Instant now = Instant.now();
                CyclicBarrier together = new CyclicBarrier(2);
                List<CompletableFuture<CommandResult>> decisions = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    var command = CommandChannel.commandFor(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId,
                            null, ALICE, now, BOB), ALICE);
                    decisions.add(CompletableFuture.supplyAsync(() -> {
                        await(together);
                        return ingest.submit(command,
                                ReplyAddress.toPartition(OptionalInt.of(CommandChannel.REPLY_PARTITION)))
                                .orElseThrow();
                    }, pool));
                }

                List<Long> sequence = new ArrayList<>();
                for (CompletableFuture<CommandResult> decision : decisions) {
                    CommandResult reply = decision.get(60, TimeUnit.SECONDS);
                    assertThat(reply.status()).isEqualTo(201);
                    sequence.add(reply.body().at("/meta/event_seq").asLong());
                }

                assertThat(sequence).containsExactlyInAnyOrder(1L, 2L);
                assertThat(jdbc.queryForList("SELECT event_seq FROM envelope WHERE thread_id = ? ORDER BY event_seq",
                        Long.class, threadId)).containsExactly(1L, 2L);
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM thread_participant WHERE thread_id = ?",
                        Long.class, threadId)).isEqualTo(2L);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
