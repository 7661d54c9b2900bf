package org.loom.envelope;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.AuthorityCommand;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.EnvelopeAccepted;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.LoomMessage;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.protocol.kafka.Topics;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Talks to the envelope-service over Kafka the way the gateway does: publishes {@code envelope.submit} commands keyed
 * by thread id with a reply partition, and reads the {@link CommandResult}s on that partition of the results topic,
 * with a plain consumer. It also watches every partition of the envelope events topic.
 */
public final class CommandChannel implements AutoCloseable {

    /** The results partition this channel's replies go to. */
    public static final int REPLY_PARTITION = 7;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final KafkaTemplate<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final List<CommandResult> replies = new ArrayList<>();
    private final List<ConsumerRecord<String, String>> events = new ArrayList<>();

    public CommandChannel(KafkaTemplate<String, String> producer, String bootstrapServers) {
        this.producer = producer;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        partitions.add(new TopicPartition(Topics.ENVELOPE_COMMAND_RESULTS.name(), REPLY_PARTITION));
        for (int p = 0; p < Topics.ENVELOPE_EVENTS.partitions(); p++) {
            partitions.add(new TopicPartition(Topics.ENVELOPE_EVENTS.name(), p));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** A command for the envelope, as the gateway builds it for the given actor. */
    public static SubmitEnvelopeCommand commandFor(JsonNode envelope, String actor) {
        return new SubmitEnvelopeCommand("msg_" + UUID.randomUUID(), "cor_" + UUID.randomUUID(), actor, "human",
                envelope.path("from").path("key_id").stringValue(), envelope, Instant.now(), "/v1/envelopes");
    }

    /** Publishes the command keyed by its envelope's thread id, asking for the reply on {@link #REPLY_PARTITION}. */
    public void send(SubmitEnvelopeCommand command) {
        send(command, null);
    }

    /** {@link #send(SubmitEnvelopeCommand)} as for a request that carried an {@code X-LOOM-Capability} header. */
    public void send(SubmitEnvelopeCommand command, String capabilityHeader) {
        ProducerRecord<String, String> record = record(command.envelope().path("thread_id").stringValue(), command,
                MessageType.ENVELOPE_SUBMIT, command.correlationId());
        if (capabilityHeader != null) {
            record.headers().add(LoomHeaders.CAPABILITY, bytes(capabilityHeader));
        }
        publish(record);
    }

    /** An authority command from the actor. */
    public static AuthorityCommand authority(String actor, String action, String subjectId, JsonNode body) {
        return new AuthorityCommand("msg_" + UUID.randomUUID(), "cor_" + UUID.randomUUID(), actor, action, subjectId,
                body == null ? LoomJson.mapper().createObjectNode() : body, Instant.now());
    }

    /** Publishes an authority command with the given key. */
    public void send(AuthorityCommand command, String key) {
        publish(record(key, command, MessageType.AUTHORITY_COMMAND, command.correlationId()));
    }

    /** Sends the authority command and waits for its reply. */
    public CommandResult submit(AuthorityCommand command, String key) {
        send(command, key);
        return awaitReply(command.correlationId());
    }

    private static ProducerRecord<String, String> record(String key, LoomMessage message, MessageType type,
            String correlationId) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.ENVELOPE_COMMANDS.name(), key,
                LoomJson.mapper().writeValueAsString(message));
        record.headers()
                .add(LoomHeaders.MESSAGE_ID, bytes(message.messageId()))
                .add(LoomHeaders.MESSAGE_TYPE, bytes(type.wireName()))
                .add(LoomHeaders.SCHEMA_VERSION, bytes(Integer.toString(LoomHeaders.CURRENT_SCHEMA_VERSION)))
                .add(LoomHeaders.CORRELATION_ID, bytes(correlationId))
                .add(LoomHeaders.REPLY_PARTITION, bytes(Integer.toString(REPLY_PARTITION)))
                .add(LoomHeaders.ORIGIN, bytes("api-gateway"));
        return record;
    }

    private void publish(ProducerRecord<String, String> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish the command", e);
        }
    }

    /** Sends the command and waits for its reply. */
    public CommandResult submit(SubmitEnvelopeCommand command) {
        send(command);
        return awaitReply(command.correlationId());
    }

    /** Waits for the first reply with the correlation id. */
    public CommandResult awaitReply(String correlationId) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> poll() >= 0 && !repliesTo(correlationId).isEmpty());
        return repliesTo(correlationId).get(0);
    }

    /** Every reply with the correlation id read so far. */
    public List<CommandResult> repliesTo(String correlationId) {
        return replies.stream().filter(reply -> reply.correlationId().equals(correlationId)).toList();
    }

    /** Every envelope event for the envelope read so far, with its record. */
    public List<ConsumerRecord<String, String>> eventsFor(String envelopeId) {
        return events.stream()
                .filter(record -> LoomJson.mapper().readValue(record.value(), EnvelopeAccepted.class).envelopeId()
                        .equals(envelopeId))
                .toList();
    }

    /** Waits until an event for the envelope has been read. */
    public ConsumerRecord<String, String> awaitEvent(String envelopeId) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> poll() >= 0 && !eventsFor(envelopeId).isEmpty());
        return eventsFor(envelopeId).get(0);
    }

    /** The header of a record as text, if present. */
    public static Optional<String> header(ConsumerRecord<String, String> record, String name) {
        return Optional.ofNullable(record.headers().lastHeader(name))
                .map(header -> new String(header.value(), StandardCharsets.UTF_8));
    }

    private int poll() {
        int read = 0;
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
            read++;
            if (record.topic().equals(Topics.ENVELOPE_COMMAND_RESULTS.name())) {
                replies.add(LoomJson.mapper().readValue(record.value(), CommandResult.class));
            } else {
                events.add(record);
            }
        }
        return read;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
