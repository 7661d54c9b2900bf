package org.loom.system;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.Topics;

import tools.jackson.databind.JsonNode;

/** What the fault tests check after the faults: read from the node's database, its topics and its routes. */
final class FaultChecks {

    private FaultChecks() {
    }

    /** A {@code kill -9} the test did, and when. */
    record Kill(String target, Instant at) {
    }

    /** Every envelope stored in the threads (whoever sent it), with the number of rows holding it. */
    static Map<String, Integer> storedEnvelopes(SplitNode node, Set<String> threads) throws SQLException {
        Map<String, Integer> copies = new HashMap<>();
        try (Connection connection = node.schema("envelope-service").connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT id, COUNT(*) FROM envelope WHERE thread_id = ANY (?) GROUP BY id")) {
            query.setArray(1, connection.createArrayOf("varchar", threads.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    copies.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return copies;
    }

    /** The envelopes of the threads sent by one of {@code senders} (not those the node wrote itself: receipts). */
    static Map<String, Integer> storedEnvelopesFrom(SplitNode node, Set<String> threads, Set<String> senders)
            throws SQLException {
        Map<String, Integer> copies = new HashMap<>();
        try (Connection connection = node.schema("envelope-service").connect();
                PreparedStatement query = connection.prepareStatement("SELECT id, COUNT(*) FROM envelope"
                        + " WHERE thread_id = ANY (?) AND sender = ANY (?) GROUP BY id")) {
            query.setArray(1, connection.createArrayOf("varchar", threads.toArray()));
            query.setArray(2, connection.createArrayOf("varchar", senders.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    copies.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return copies;
    }

    /** Each thread's envelopes are numbered 1..n without a gap or a repeat: no write was half done. */
    static List<String> eventSequenceGaps(SplitNode node, Set<String> threads) throws SQLException {
        List<String> gaps = new ArrayList<>();
        try (Connection connection = node.schema("envelope-service").connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT thread_id, COUNT(*), MIN(event_seq), MAX(event_seq) FROM envelope"
                                + " WHERE thread_id = ANY (?) GROUP BY thread_id")) {
            query.setArray(1, connection.createArrayOf("varchar", threads.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (rows.getLong(3) != 1 || rows.getLong(4) != rows.getLong(2)) {
                        gaps.add(rows.getString(1) + ": " + rows.getLong(2) + " envelopes numbered "
                                + rows.getLong(3) + ".." + rows.getLong(4));
                    }
                }
            }
        }
        return gaps;
    }

    /** The envelope ids of every {@code envelope.accepted} event of the threads on the broker, repeats removed. */
    static Set<String> acceptedEvents(String bootstrapServers, Set<String> threads) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ENVELOPE_EVENTS.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = LoomJson.parse(record.value());
                    if (threads.contains(event.path("thread_id").asString())) {
                        ids.add(event.get("envelope_id").stringValue());
                    }
                }
            }
        }
        return ids;
    }

    /**
     * Deliveries that arrived more than once although no kill of the delivering service can explain it. Delivery is at
     * least once: a service killed after the destination answered and before it recorded the answer delivers the item
     * again once its lease runs out. Such a repeat is allowed only when its first arrival came within {@code window}
     * before a kill of {@code service}, or within {@link #KILL_LANDING} after it; any other repeat is a duplicate.
     *
     * @param arrivals when each delivery (by its id) arrived
     */
    /**
     * How long after a kill was recorded a copy the killed process sent may still be stamped by its receiver: the kill
     * is recorded just before the signal, and the receiver stamps a message once it has taken all of it in. A mail the
     * email-bridge finished sending as it was killed was stamped after the recorded kill, and its repeat went
     * unexplained. Nothing else can send in that second: the service comes back only after the test's pause.
     */
    static final Duration KILL_LANDING = Duration.ofSeconds(1);

    static List<String> unexplainedRepeats(Map<String, List<Instant>> arrivals, List<Kill> kills, String service,
                                           Duration window) {
        List<String> unexplained = new ArrayList<>();
        arrivals.forEach((id, times) -> {
            if (times.size() < 2) {
                return;
            }
            Instant first = times.stream().min(Instant::compareTo).orElseThrow();
            boolean explained = times.size() == 2 && kills.stream().anyMatch(kill -> kill.target().equals(service)
                    && !first.isAfter(kill.at().plus(KILL_LANDING)) && first.isAfter(kill.at().minus(window)));
            if (!explained) {
                unexplained.add(id + " arrived " + times.size() + " times: " + times);
            }
        });
        return unexplained;
    }
}
