package org.loom.gateway.envelope;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.protocol.kafka.Topics;
import org.loom.testsupport.TestInfrastructure;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stands in for the envelope-service on the real broker: reads every command on the commands topic and answers on the
 * results-topic partition the command names, as scripted per envelope id. By default a command succeeds with the
 * envelope plus a {@code meta} member; a held command gets no answer until the test releases it.
 */
final class CommandResponder {

    /** A command as it arrived: its record key and headers, and its body. */
    record Received(String key, Map<String, String> headers, SubmitEnvelopeCommand command) {
    }

    private static CommandResponder instance;

    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final Queue<Received> received = new ConcurrentLinkedQueue<>();
    private final Map<String, Function<SubmitEnvelopeCommand, CommandResult>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Received> held = new ConcurrentHashMap<>();
    private final java.util.Set<String> holding = ConcurrentHashMap.newKeySet();

    private CommandResponder(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all"));
        // Assigned rather than subscribed: no group join to wait for, and only commands sent from now on.
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < Topics.ENVELOPE_COMMANDS.partitions(); p++) {
            partitions.add(new TopicPartition(Topics.ENVELOPE_COMMANDS.name(), p));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        Thread loop = new Thread(this::run, "test-command-responder");
        loop.setDaemon(true);
        loop.start();
    }

    /** The responder of this test JVM, started on first use. */
    static synchronized CommandResponder get() {
        if (instance == null) {
            instance = new CommandResponder(TestInfrastructure.get().kafkaBootstrapServers());
        }
        return instance;
    }

    /** Answers the command for this envelope with whatever the script returns. */
    void script(String envelopeId, Function<SubmitEnvelopeCommand, CommandResult> answer) {
        scripts.put(envelopeId, answer);
    }

    /** Keeps the command for this envelope unanswered until {@link #release}. */
    void hold(String envelopeId) {
        holding.add(envelopeId);
    }

    /** True once a command for this envelope is being held. */
    boolean isHolding(String envelopeId) {
        return held.containsKey(envelopeId);
    }

    /** Answers the held command for this envelope, as scripted (or by default). */
    void release(String envelopeId) {
        holding.remove(envelopeId);
        Received command = held.remove(envelopeId);
        if (command == null) {
            throw new IllegalStateException("no command held for " + envelopeId);
        }
        answer(command);
    }

    /** Every command received for this envelope, in arrival order. */
    List<Received> commandsFor(String envelopeId) {
        return received.stream().filter(r -> r.command().envelope().path("id").asString().equals(envelopeId)).toList();
    }

    /** The default success: the envelope as submitted, with the node's {@code meta}. */
    static CommandResult stored(SubmitEnvelopeCommand command) {
        ObjectNode body = (ObjectNode) command.envelope().deepCopy();
        body.putObject("meta").put("event_seq", 1).put("received_by", command.actor());
        return CommandResult.success("msg_res_" + command.correlationId(), command.correlationId(), 201, body);
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    try {
                        take(record);
                    } catch (RuntimeException e) {
                        System.getLogger(CommandResponder.class.getName())
                                .log(System.Logger.Level.ERROR, "test responder failed on a command", e);
                    }
                }
            }
        } catch (WakeupException e) {
            consumer.close();
        }
    }

    private void take(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        SubmitEnvelopeCommand command =
                LoomJson.mapper().readValue(record.value(), SubmitEnvelopeCommand.class);
        Received arrival = new Received(record.key(), Map.copyOf(headers), command);
        received.add(arrival);
        String envelopeId = command.envelope().path("id").asString();
        if (holding.contains(envelopeId)) {
            held.put(envelopeId, arrival);
        } else {
            answer(arrival);
        }
    }

    private void answer(Received arrival) {
        SubmitEnvelopeCommand command = arrival.command();
        CommandResult result = scripts
                .getOrDefault(command.envelope().path("id").asString(), CommandResponder::stored)
                .apply(command);
        ProducerRecord<String, String> reply = new ProducerRecord<>(Topics.ENVELOPE_COMMAND_RESULTS.name(),
                Integer.parseInt(arrival.headers().get(LoomHeaders.REPLY_PARTITION)),
                arrival.headers().get(LoomHeaders.ORIGIN),
                LoomJson.mapper().writeValueAsString(result));
        reply.headers()
                .add(LoomHeaders.MESSAGE_ID, result.messageId().getBytes(StandardCharsets.UTF_8))
                .add(LoomHeaders.MESSAGE_TYPE, MessageType.COMMAND_RESULT.wireName().getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(reply).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not answer " + command.correlationId(), e);
        }
    }
}
