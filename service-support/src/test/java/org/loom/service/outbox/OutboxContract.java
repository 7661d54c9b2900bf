package org.loom.service.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.DeadLetter;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.Topic;
import org.loom.protocol.kafka.Topics;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The behaviour every outbox kind must show, run against the kind's real handler, a real destination, the real
 * database and the real broker. A kind's test extends this class and says how to make a destination and queue an
 * item for it.
 *
 * <p>The kind's test context must run the outbox with automatic processing off (the suite drives it), a base backoff
 * of at least 500 ms (so "not due yet" can be observed), a parallelism of at least 2 and an attempt timeout of at
 * least 2 s (so a hanging attempt can be seen while another one completes).
 */
public abstract class OutboxContract {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final List<OutboxDestination> destinations = new ArrayList<>();

    /** The outbox under test. */
    protected abstract Outbox outbox();

    /** The service's database, to simulate a worker that died holding a lease. */
    protected abstract JdbcTemplate jdbc();

    /** The broker the service's relay publishes to. */
    protected abstract String bootstrapServers();

    /** A new destination, accepting deliveries. */
    protected abstract OutboxDestination newDestination();

    /** Queues an item for {@code destination}; null limits take the outbox's defaults. Returns its id. */
    protected abstract String enqueue(OutboxDestination destination, Integer maxAttempts, Instant expiresAt);

    @BeforeEach
    void checkPolicy() {
        OutboxPolicy policy = outbox().policy();
        assertThat(policy.autoProcessing()).as("the contract drives the outbox itself").isFalse();
        assertThat(policy.baseBackoffMs()).isGreaterThanOrEqualTo(500);
        assertThat(policy.parallelism()).isGreaterThanOrEqualTo(2);
        assertThat(policy.attemptTimeoutMs()).isGreaterThanOrEqualTo(2000);
    }

    @AfterEach
    void closeDestinations() {
        destinations.forEach(OutboxDestination::close);
        destinations.clear();
    }

    private OutboxDestination destination() {
        OutboxDestination destination = newDestination();
        destinations.add(destination);
        return destination;
    }

    @Test
    void queuedItemIsDeliveredOnceWhenProcessedAndLeftAloneAfterwards() {
        OutboxDestination destination = destination();
        String id = enqueue(destination, null, null);
        assertThat(outbox().find(id)).get().satisfies(item -> {
            assertThat(item.status()).isEqualTo(OutboxStatus.QUEUED);
            assertThat(item.attempts()).isZero();
            assertThat(item.maxAttempts()).isEqualTo(outbox().policy().maxAttempts());
        });

        OutboxItem delivered = outbox().process(id);

        assertThat(delivered.status()).isEqualTo(OutboxStatus.DELIVERED);
        assertThat(delivered.attempts()).isEqualTo(1);
        assertThat(delivered.deliveredAt()).isNotNull();
        assertThat(delivered.nextAttemptAt()).isNull();
        assertThat(delivered.lastError()).isNull();
        assertThat(destination.taken(id)).isEqualTo(1);
        assertThat(outbox().process(id)).isEqualTo(delivered);
        assertThat(outbox().processDue(50)).extracting(OutboxItem::id).doesNotContain(id);
        assertThat(destination.taken(id)).isEqualTo(1);
    }

    @Test
    void failedAttemptIsRetriedAfterAJitteredExponentialBackoff() {
        OutboxDestination destination = destination();
        destination.fail();
        String id = enqueue(destination, 5, null);
        OutboxPolicy policy = outbox().policy();

        OutboxItem first = outbox().process(id);

        assertThat(first.status()).isEqualTo(OutboxStatus.QUEUED);
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.lastError()).isNotBlank();
        assertThat(Duration.between(first.updatedAt(), first.nextAttemptAt()).toMillis())
                .isBetween(lowest(policy, 1), highest(policy, 1));
        assertThat(outbox().process(id)).as("not due yet").isEqualTo(first);

        OutboxItem second = processUntil(id, item -> item.attempts() == 2);
        assertThat(second.status()).isEqualTo(OutboxStatus.QUEUED);
        assertThat(Duration.between(second.updatedAt(), second.nextAttemptAt()).toMillis())
                .isBetween(lowest(policy, 2), highest(policy, 2));
        assertThat(destination.taken(id)).isZero();
    }

    @Test
    void itemThatExhaustsItsAttemptsBecomesADeadLetterOnItsKindsTopic() {
        OutboxDestination destination = destination();
        destination.fail();
        String id = enqueue(destination, 2, null);

        OutboxItem failed = processUntil(id, item -> item.status() == OutboxStatus.FAILED);

        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.nextAttemptAt()).isNull();
        assertThat(failed.lastError()).isNotBlank();
        assertThat(outbox().deadLetters(1000)).extracting(OutboxItem::id).contains(id);
        DeadLetter letter = readDeadLetter(id);
        assertThat(letter.kind()).isEqualTo(outbox().kind());
        assertThat(letter.attempts()).isEqualTo(2);
        assertThat(letter.reason()).isEqualTo(failed.lastError());
        assertThat(letter.payload().get("id").asString()).isEqualTo(id);
        assertThat(letter.payload().get("status").asString()).isEqualTo("failed");
    }

    @Test
    void itemPastItsTimeToLiveBecomesADeadLetterAtItsNextFailure() {
        OutboxDestination destination = destination();
        destination.fail();
        Instant expiresAt = Instant.now().plusMillis(outbox().policy().baseBackoffMs() / 2);
        String id = enqueue(destination, 20, expiresAt);

        OutboxItem first = outbox().process(id);
        if (first.status() == OutboxStatus.QUEUED) {
            assertThat(first.nextAttemptAt()).as("never scheduled past its time to live").isBeforeOrEqualTo(
                    first.expiresAt());
        }
        OutboxItem failed = processUntil(id, item -> item.status() == OutboxStatus.FAILED);

        assertThat(failed.attempts()).isLessThan(20);
        assertThat(readDeadLetter(id).itemId()).isEqualTo(id);
    }

    @Test
    void requeuedDeadLetterGetsAFreshSetOfAttemptsAndIsDeliveredOnce() {
        OutboxDestination destination = destination();
        destination.fail();
        String id = enqueue(destination, 1, null);
        assertThat(outbox().process(id).status()).isEqualTo(OutboxStatus.FAILED);
        destination.accept();

        OutboxItem requeued = outbox().requeue(id, "admin");

        assertThat(requeued.status()).isEqualTo(OutboxStatus.QUEUED);
        assertThat(requeued.attempts()).isZero();
        assertThat(requeued.lastError()).isNull();
        assertThat(requeued.lastHttpStatus()).isNull();
        assertThat(requeued.nextAttemptAt()).isBeforeOrEqualTo(Instant.now());
        assertThat(outbox().deadLetters(1000)).extracting(OutboxItem::id).doesNotContain(id);
        OutboxItem delivered = outbox().process(id);
        assertThat(delivered.status()).isEqualTo(OutboxStatus.DELIVERED);
        assertThat(delivered.attempts()).isEqualTo(1);
        assertThat(destination.taken(id)).isEqualTo(1);
    }

    @Test
    void requeueRefusesItemsThatAreNotFailedAndUnknownItems() {
        String id = enqueue(destination(), null, null);

        assertThatThrownBy(() -> outbox().requeue(id, "admin"))
                .isInstanceOfSatisfying(LoomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STATE_TRANSITION_INVALID);
                    assertThat(e.details()).containsEntry("current_status", "queued");
                });
        assertThatThrownBy(() -> outbox().requeue("no_such_item_" + UUID.randomUUID(), "admin"))
                .isInstanceOfSatisfying(LoomException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVELOPE_NOT_FOUND));
        assertThatThrownBy(() -> outbox().process("no_such_item_" + UUID.randomUUID()))
                .isInstanceOfSatisfying(LoomException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVELOPE_NOT_FOUND));
    }

    @Test
    void workersProcessingAtTheSameTimeAttemptEachDueItemOnce() {
        drainDueItems();
        OutboxDestination destination = destination();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(enqueue(destination, null, null));
        }

        List<CompletableFuture<List<OutboxItem>>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            workers.add(CompletableFuture.supplyAsync(() -> outbox().processDue(5)));
        }
        List<String> processed = workers.stream().map(CompletableFuture::join).flatMap(List::stream)
                .map(OutboxItem::id).filter(ids::contains).toList();
        processed = new ArrayList<>(processed);
        processed.addAll(outbox().processDue(50).stream().map(OutboxItem::id).filter(ids::contains).toList());

        assertThat(processed).containsExactlyInAnyOrderElementsOf(ids);
        for (String id : ids) {
            assertThat(outbox().find(id)).get().satisfies(item -> {
                assertThat(item.status()).isEqualTo(OutboxStatus.DELIVERED);
                assertThat(item.attempts()).isEqualTo(1);
            });
            assertThat(destination.taken(id)).isEqualTo(1);
        }
    }

    @Test
    void itemHeldByAWorkerThatDiedIsTakenOverWhenItsLeaseRunsOut() {
        OutboxDestination destination = destination();
        String id = enqueue(destination, null, null);
        jdbc().update("UPDATE outbox_item SET lease_owner = 'a-worker-that-died', leased_until = ? WHERE id = ?",
                OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5), id);

        assertThat(outbox().process(id).attempts()).as("held by the dead worker's lease").isZero();
        assertThat(destination.taken(id)).isZero();

        jdbc().update("UPDATE outbox_item SET leased_until = ? WHERE id = ?",
                OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1), id);
        OutboxItem delivered = outbox().process(id);

        assertThat(delivered.status()).isEqualTo(OutboxStatus.DELIVERED);
        assertThat(destination.taken(id)).isEqualTo(1);
    }

    @Test
    void hangingDestinationDoesNotHoldUpDeliveriesToAnother() {
        drainDueItems();
        OutboxDestination hanging = destination();
        hanging.hang();
        OutboxDestination healthy = destination();
        String stuck = enqueue(hanging, null, null);
        String quick = enqueue(healthy, null, null);

        CompletableFuture<List<OutboxItem>> batch = CompletableFuture.supplyAsync(() -> outbox().processDue(10));

        await().atMost(TIMEOUT).until(() -> outbox().find(quick).map(OutboxItem::status)
                .orElseThrow() == OutboxStatus.DELIVERED);
        assertThat(outbox().find(stuck).orElseThrow().attempts()).as("still in its first attempt").isZero();
        assertThat(batch).isNotDone();

        List<OutboxItem> results = batch.join();
        OutboxItem timedOut = results.stream().filter(item -> item.id().equals(stuck)).findFirst().orElseThrow();
        assertThat(timedOut.status()).isEqualTo(OutboxStatus.QUEUED);
        assertThat(timedOut.attempts()).isEqualTo(1);
        assertThat(timedOut.lastError()).isNotBlank();
        assertThat(healthy.taken(quick)).isEqualTo(1);
    }

    /** Runs every item other tests left due, so a batch in this test sees only its own items. */
    private void drainDueItems() {
        while (!outbox().processDue(Outbox.MAX_BATCH).isEmpty()) {
            // keep going until nothing is due
        }
    }

    private OutboxItem processUntil(String id, java.util.function.Predicate<OutboxItem> done) {
        AtomicReference<OutboxItem> last = new AtomicReference<>();
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            last.set(outbox().process(id));
            return done.test(last.get());
        });
        return last.get();
    }

    private static long lowest(OutboxPolicy policy, int attempts) {
        long pause = Math.min(policy.maxBackoffMs(), policy.baseBackoffMs() << (attempts - 1));
        return Math.max(policy.baseBackoffMs() / 2, Math.round(pause * (1 - policy.jitterRatio())) - 1);
    }

    private static long highest(OutboxPolicy policy, int attempts) {
        long pause = Math.min(policy.maxBackoffMs(), policy.baseBackoffMs() << (attempts - 1));
        return Math.min(policy.maxBackoffMs(), Math.round(pause * (1 + policy.jitterRatio())) + 1);
    }

    private DeadLetter readDeadLetter(String itemId) {
        Topic topic = Topics.deadLetters(outbox().kind());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            AtomicReference<DeadLetter> found = new AtomicReference<>();
            await().atMost(TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (itemId.equals(record.key())) {
                        assertThat(new String(record.headers().lastHeader(LoomHeaders.MESSAGE_TYPE).value(),
                                StandardCharsets.UTF_8)).isEqualTo("outbox.dead_letter");
                        found.set(LoomJson.mapper().readValue(record.value(), DeadLetter.class));
                    }
                });
                return found.get() != null;
            });
            return Optional.ofNullable(found.get()).orElseThrow();
        }
    }
}
