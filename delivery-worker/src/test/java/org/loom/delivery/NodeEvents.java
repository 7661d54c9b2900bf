package org.loom.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.AuditRecord;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.LoomMessage;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.Topic;
import org.loom.protocol.kafka.Topics;
import tools.jackson.databind.node.ObjectNode;

/** Publishes node records the way the services' relays do, so the delivery-worker consumes real records. */
public final class NodeEvents implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    public NodeEvents(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    /** Publishes an audit record of another service and returns it. */
    public AuditRecord audit(String service, String action, ObjectNode payload) {
        AuditRecord record = new AuditRecord(LoomIds.next(IdPrefix.EVENT), service, action, payload, Instant.now());
        publish(Topics.AUDIT_RECORDS, service, record);
        return record;
    }

    /** Publishes a record on a topic with the node's headers. */
    public void publish(Topic topic, String key, LoomMessage message) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic.name(), key,
                LoomJson.write(LoomJson.mapper().valueToTree(message)));
        record.headers().add(LoomHeaders.MESSAGE_ID, message.messageId().getBytes(StandardCharsets.UTF_8));
        record.headers().add(LoomHeaders.MESSAGE_TYPE,
                MessageType.of(message).wireName().getBytes(StandardCharsets.UTF_8));
        record.headers().add(LoomHeaders.SCHEMA_VERSION, "1".getBytes(StandardCharsets.UTF_8));
        record.headers().add(LoomHeaders.ORIGIN, "test".getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic.name(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
