package org.loom.service.command;

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
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.LoomMessage;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.protocol.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.SendResult;

/**
 * A service's end of the request-reply exchange with the envelope-service: publishes {@link SubmitEnvelopeCommand}s
 * keyed by thread and waits for their {@link CommandResult}s.
 *
 * <p>Every instance of a service joins one consumer group on {@link Topics#ENVELOPE_COMMAND_RESULTS}; a command names
 * one of the partitions this instance holds, so its result comes back here. The envelope-service keys each result by
 * the command's {@code loom-origin}, and results keyed by another service are ignored. A result nobody waits for any more (its
 * wait timed out, or the partition moved here) goes to the {@code unclaimed} callback.
 *
 * <p>Commands are sent with {@code acks=all} and producer idempotence: a caller told "accepted" must never stand for
 * a command the broker could lose or write twice.
 */
public class CommandClient implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommandClient.class);

    private final String origin;
    private final DefaultKafkaProducerFactory<String, String> producers;
    private final KafkaTemplate<String, String> kafka;
    private final KafkaMessageListenerContainer<String, String> container;
    private final Consumer<CommandResult> unclaimed;
    private final Map<String, CompletableFuture<CommandResult>> waiters = new ConcurrentHashMap<>();
    private final Object assignmentMonitor = new Object();
    private final TreeSet<Integer> assigned = new TreeSet<>();
    private final AtomicInteger nextPick = new AtomicInteger();

    /**
     * @param kafka        the service's Kafka settings
     * @param replyGroupId the consumer group every instance of the calling service joins on the results topic
     * @param origin       the {@code loom-origin} header of the commands sent
     * @param unclaimed    receives results whose requester stopped waiting
     */
    public CommandClient(KafkaProperties kafka, String replyGroupId, String origin, Consumer<CommandResult> unclaimed) {
        this.origin = origin;
        this.unclaimed = unclaimed;
        Map<String, Object> producerConfig = new HashMap<>(kafka.buildProducerProperties());
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producers = new DefaultKafkaProducerFactory<>(producerConfig);
        this.kafka = new KafkaTemplate<>(producers);

        Map<String, Object> consumerConfig = new HashMap<>(kafka.buildConsumerProperties());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, replyGroupId);
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A partition taken over from another instance starts at that instance's last commit, so its unread results
        // still reach the unclaimed callback here.
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        ContainerProperties properties = new ContainerProperties(Topics.ENVELOPE_COMMAND_RESULTS.name());
        properties.setConsumerRebalanceListener(new AssignmentTracker());
        properties.setMessageListener((MessageListener<String, String>) this::onRecord);
        this.container = new KafkaMessageListenerContainer<>(new DefaultKafkaConsumerFactory<>(consumerConfig),
                properties);
        this.container.setBeanName("loomCommandReplies-" + replyGroupId);
    }

    /** True once this instance holds a partition of the results topic, so commands can name it. */
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
     * Publishes the command, keyed by {@code threadId}, and waits up to {@code timeout} in all (partition assignment,
     * broker acknowledgement and decision) for its result.
     *
     * @return the result; empty when none arrived in time (the command may still be decided: its result then goes to
     *         the unclaimed callback) or the command could not be published
     */
    public Outcome submit(SubmitEnvelopeCommand command, String threadId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        OptionalInt partition;
        try {
            partition = replyPartition(Duration.ofNanos(remaining(deadline)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.notSent();
        }
        if (partition.isEmpty()) {
            return Outcome.notSent();
        }
        PendingDecision decision = expect(command.correlationId());
        try {
            send(command, threadId, partition.getAsInt()).get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | RuntimeException e) {
            log.error("Command {} could not be published", command.messageId(), e);
            decision.abandon();
            return Outcome.notSent();
        } catch (TimeoutException e) {
            return decision.await(Duration.ZERO).map(Outcome::decided).orElseGet(Outcome::pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return decision.await(Duration.ZERO).map(Outcome::decided).orElseGet(Outcome::pending);
        }
        return decision.await(Duration.ofNanos(remaining(deadline))).map(Outcome::decided)
                .orElseGet(Outcome::pending);
    }

    /**
     * What came of a submission.
     *
     * @param result the decision, when one arrived in time
     * @param sent   whether the broker took the command (a pending command is still decided later)
     */
    public record Outcome(Optional<CommandResult> result, boolean sent) {

        static Outcome decided(CommandResult result) {
            return new Outcome(Optional.of(result), true);
        }

        static Outcome pending() {
            return new Outcome(Optional.empty(), true);
        }

        static Outcome notSent() {
            return new Outcome(Optional.empty(), false);
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
         * this command goes to the unclaimed callback instead.
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
        // ended first (the consumer then sees a completed future and hands the result to the unclaimed callback).
        private Optional<CommandResult> giveUp() {
            waiters.remove(correlationId, result);
            if (result.cancel(false)) {
                return Optional.empty();
            }
            return Optional.of(result.join());
        }
    }

    /**
     * Publishes the command, keyed by {@code threadId}, naming {@code replyPartition} for its result; the future
     * completes when the broker has it (or has refused it).
     */
    public CompletableFuture<SendResult<String, String>> send(SubmitEnvelopeCommand command, String threadId,
            int replyPartition) {
        return send(command, command.correlationId(), threadId, replyPartition, Map.of());
    }

    /**
     * Publishes any command awaiting a result (an envelope submission, a capability or delegation command), keyed by
     * {@code key}, with {@code extraHeaders} added to the record's headers.
     */
    public CompletableFuture<SendResult<String, String>> send(LoomMessage command, String correlationId, String key,
            int replyPartition, Map<String, String> extraHeaders) {
        ProducerRecord<String, String> record = record(command, correlationId, key, replyPartition);
        extraHeaders.forEach((name, value) -> record.headers().add(name, utf8(value)));
        return kafka.send(record);
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

    private ProducerRecord<String, String> record(LoomMessage command, String correlationId, String key,
            int partition) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.ENVELOPE_COMMANDS.name(), key,
                LoomJson.mapper().writeValueAsString(command));
        record.headers()
                .add(LoomHeaders.MESSAGE_ID, utf8(command.messageId()))
                .add(LoomHeaders.MESSAGE_TYPE, utf8(MessageType.of(command).wireName()))
                .add(LoomHeaders.CORRELATION_ID, utf8(correlationId))
                .add(LoomHeaders.REPLY_PARTITION, utf8(Integer.toString(partition)))
                .add(LoomHeaders.ORIGIN, utf8(origin))
                .add(LoomHeaders.SCHEMA_VERSION, utf8(Integer.toString(LoomHeaders.CURRENT_SCHEMA_VERSION)));
        return record;
    }

    private void onRecord(ConsumerRecord<String, String> record) {
        // Results are keyed by the requesting service. Every requesting service reads the whole topic (each is its
        // own group), so most results here belong to another service: skip them before parsing.
        if (!origin.equals(record.key())) {
            return;
        }
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
        unclaimed.accept(result);
    }

    private final class AssignmentTracker implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            synchronized (assignmentMonitor) {
                partitions.forEach(partition -> assigned.add(partition.partition()));
                assignmentMonitor.notifyAll();
            }
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

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
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
        producers.destroy();
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }
}
