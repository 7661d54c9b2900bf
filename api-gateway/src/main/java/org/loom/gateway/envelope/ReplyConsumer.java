package org.loom.gateway.envelope;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.loom.gateway.idempotency.IdempotencyStore;
import org.loom.gateway.web.ReadinessCheck;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.stereotype.Component;

/**
 * This gateway instance's end of the request-reply exchange with the envelope-service.
 *
 * <p>Every instance joins one consumer group on {@link Topics#ENVELOPE_COMMAND_RESULTS}, so each holds some of its
 * partitions. A command names one of this instance's partitions as its reply partition, and its result comes back
 * here, to the request waiting for it. Which partitions are held is tracked through rebalances.
 *
 * <p>A result nobody here waits for (its request timed out, or the partition moved here from another instance) still
 * completes the idempotency record of its request, so the client's retry gets the original answer.
 */
@Component
public class ReplyConsumer implements SmartLifecycle, ReadinessCheck {

    private static final Logger log = LoggerFactory.getLogger(ReplyConsumer.class);

    private final KafkaMessageListenerContainer<String, String> container;
    private final IdempotencyStore idempotency;
    private final Map<String, CompletableFuture<CommandResult>> waiters = new ConcurrentHashMap<>();
    private final Object assignmentMonitor = new Object();
    private final TreeSet<Integer> assigned = new TreeSet<>();
    private final AtomicInteger nextPick = new AtomicInteger();

    public ReplyConsumer(KafkaProperties kafka, EnvelopeSettings settings, IdempotencyStore idempotency) {
        this.idempotency = idempotency;
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.replyGroupId());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A partition taken over from another instance starts at that instance's last commit; results it had not
        // read yet still complete their idempotency records here.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        ContainerProperties properties = new ContainerProperties(Topics.ENVELOPE_COMMAND_RESULTS.name());
        properties.setConsumerRebalanceListener(new AssignmentTracker());
        properties.setMessageListener((MessageListener<String, String>) this::onRecord);
        this.container = new KafkaMessageListenerContainer<>(new DefaultKafkaConsumerFactory<>(config), properties);
        this.container.setBeanName("loomReplyConsumer");
    }

    /** Named {@code reply_partitions} in the {@code /ready} body. */
    @Override
    public String name() {
        return "reply_partitions";
    }

    /** True once this instance holds at least one partition of the results topic, so commands can name it. */
    @Override
    public boolean isReady() {
        synchronized (assignmentMonitor) {
            return container.isRunning() && !assigned.isEmpty();
        }
    }

    /** The partitions of the results topic this instance currently holds. */
    public List<Integer> assignedPartitions() {
        synchronized (assignmentMonitor) {
            return List.copyOf(assigned);
        }
    }

    /**
     * A partition of the results topic this instance holds, for a command to name as its reply partition; waits up to
     * {@code wait} for one while the group assigns partitions. Commands are spread over the held partitions.
     */
    public OptionalInt replyPartition(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (assignmentMonitor) {
            while (assigned.isEmpty()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return OptionalInt.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(assignmentMonitor, remaining);
            }
            List<Integer> partitions = List.copyOf(assigned);
            return OptionalInt.of(partitions.get(Math.floorMod(nextPick.getAndIncrement(), partitions.size())));
        }
    }

    /** Starts waiting for the result of the command with this correlation id; register before publishing it. */
    public PendingDecision expect(String correlationId) {
        CompletableFuture<CommandResult> future = new CompletableFuture<>();
        if (waiters.putIfAbsent(correlationId, future) != null) {
            throw new IllegalStateException("already waiting for " + correlationId);
        }
        return new PendingDecision(correlationId, future);
    }

    /** A request's wait for the result of its command. */
    public final class PendingDecision {

        private final String correlationId;
        private final CompletableFuture<CommandResult> result;

        private PendingDecision(String correlationId, CompletableFuture<CommandResult> result) {
            this.correlationId = correlationId;
            this.result = result;
        }

        /**
         * The result, if it arrives within {@code timeout}; empty otherwise, and from then on a result arriving for
         * this command goes to the idempotency record instead.
         */
        public Optional<CommandResult> await(Duration timeout) {
            try {
                return Optional.of(result.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException | CancellationException e) {
                return giveUp();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return giveUp();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a result future is never completed with an error", e);
            }
        }

        /** Stops waiting, for a command that was never published. */
        public void abandon() {
            giveUp();
        }

        // Whoever completes the future first wins: either the consumer delivered the result (use it), or this wait
        // ended first (the consumer then sees a completed future and stores the result instead).
        private Optional<CommandResult> giveUp() {
            waiters.remove(correlationId, result);
            if (result.cancel(false)) {
                return Optional.empty();
            }
            return Optional.of(result.join());
        }
    }

    private void onRecord(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader(LoomHeaders.MESSAGE_TYPE);
        if (type != null
                && !MessageType.COMMAND_RESULT.wireName().equals(new String(type.value(), StandardCharsets.UTF_8))) {
            return;
        }
        CommandResult result;
        try {
            result = LoomJson.mapper().readValue(record.value(), CommandResult.class);
        } catch (RuntimeException e) {
            log.warn("Skipping an unreadable command result at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        CompletableFuture<CommandResult> waiter = waiters.remove(result.correlationId());
        if (waiter != null && waiter.complete(result)) {
            return;
        }
        idempotency.completeByCorrelation(result.correlationId(), CommandOutcomes.stored(result));
    }

    private final class AssignmentTracker implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            synchronized (assignmentMonitor) {
                partitions.forEach(partition -> assigned.add(partition.partition()));
                assignmentMonitor.notifyAll();
            }
            log.info("Reply partitions now held: {}", assignedPartitions());
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            release(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            release(partitions);
        }

        private void release(Collection<TopicPartition> partitions) {
            synchronized (assignmentMonitor) {
                partitions.forEach(partition -> assigned.remove(partition.partition()));
            }
        }
    }

    @Override
    public void start() {
        container.start();
    }

    @Override
    public void stop() {
        container.stop();
        synchronized (assignmentMonitor) {
            assigned.clear();
        }
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }
}
