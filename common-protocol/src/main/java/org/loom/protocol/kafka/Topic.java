package org.loom.protocol.kafka;

import java.util.Map;
import java.util.Objects;

/**
 * A Kafka topic the node uses.
 *
 * @param name       the topic name
 * @param partitions the default partition count; a deployment may raise it (never lower it: records already keyed to
 *                   a partition would change partition and lose their order)
 * @param compacted  true when the topic keeps only the latest record per key ({@code cleanup.policy=compact})
 * @param keyedBy    what the record key is, in protocol terms (e.g. {@code thread_id})
 */
public record Topic(String name, int partitions, boolean compacted, String keyedBy) {

    /**
     * The largest record any of the node's topics takes ({@code max.message.bytes}) and any of its producers sends
     * ({@code max.request.size}): 8 MiB. A request body may be 2 MiB ({@code LOOM_MAX_BODY_BYTES}) and travels inside a
     * command and then an event with some wrapping, so Kafka's 1 MiB default would refuse envelopes the HTTP side
     * accepted.
     */
    public static final int MAX_RECORD_BYTES = 8 * 1024 * 1024;

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyedBy, "keyedBy");
        if (!name.matches("[a-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("not a valid topic name: " + name);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic needs at least one partition: " + name);
        }
    }

    /** The Kafka {@code cleanup.policy} topic setting this topic is created with. */
    public String cleanupPolicy() {
        return compacted ? "compact" : "delete";
    }

    /** The topic-level settings the node creates this topic with. */
    public Map<String, String> creationConfigs() {
        return Map.of("cleanup.policy", cleanupPolicy(), "max.message.bytes", Integer.toString(MAX_RECORD_BYTES));
    }
}
