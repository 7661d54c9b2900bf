package org.loom.protocol.kafka;

import java.util.List;
import java.util.Optional;

/**
 * The topics of the node and their defaults.
 *
 * <p>Partition counts are the defaults the node creates topics with. A deployment may create topics with more
 * partitions to spread consumers further; ordering still holds because it is only promised per key. The audit topic
 * is the exception: it must keep exactly one partition, since the audit hash chain needs one global order.
 */
public final class Topics {

    /**
     * Commands for the envelope-service (envelope submissions, thread operations). Keyed by {@code thread_id} so one
     * consumer decides all writes to a thread in order; commands that belong to no thread (capability or delegation
     * commands without a thread scope) are keyed by the issuing identity.
     */
    public static final Topic ENVELOPE_COMMANDS =
            new Topic("loom.envelope.commands", 12, false, "thread_id, or the issuing identity without a thread");

    /**
     * Decisions on commands, read by the instance waiting to answer (a gateway's HTTP request, a federation delivery, an
     * inbound email). Keyed by the requesting service's name (the command's {@code loom-origin}), so that other
     * requesting services skip the record unread; the {@code loom-reply-partition} header of the command says which
     * partition the waiting instance reads.
     */
    public static final Topic ENVELOPE_COMMAND_RESULTS =
            new Topic("loom.envelope.command-results", 12, false, "requesting service (loom-origin of the command)");

    /** Facts about threads after they are committed (envelope accepted, thread updated). Keyed by {@code thread_id}. */
    public static final Topic ENVELOPE_EVENTS = new Topic("loom.envelope.events", 12, false, "thread_id");

    /**
     * The latest state of every identity (type and keys), compacted so a service can rebuild its read model from the
     * beginning of the topic. Keyed by identity URI; a deleted identity is a record with {@code deleted=true}.
     */
    public static final Topic IDENTITY_CHANGES = new Topic("loom.identity.changes", 6, true, "identity");

    /**
     * Audit records from every service. One partition only: the envelope-service appends them to a single hash chain
     * in topic order. Keyed by the producing service's name.
     */
    public static final Topic AUDIT_RECORDS = new Topic("loom.audit.records", 1, false, "service");

    /** Federation deliveries that exhausted their attempts or TTL. Keyed by outbox item id. */
    public static final Topic FEDERATION_DEAD_LETTERS = new Topic("loom.federation.outbox-dlt", 3, false, "item_id");

    /** Email deliveries that exhausted their attempts or TTL. Keyed by outbox item id. */
    public static final Topic EMAIL_DEAD_LETTERS = new Topic("loom.email.outbox-dlt", 3, false, "item_id");

    /** Webhook deliveries that exhausted their attempts or TTL. Keyed by outbox item id. */
    public static final Topic WEBHOOK_DEAD_LETTERS = new Topic("loom.webhook.outbox-dlt", 3, false, "item_id");

    private static final List<Topic> ALL = List.of(
            ENVELOPE_COMMANDS,
            ENVELOPE_COMMAND_RESULTS,
            ENVELOPE_EVENTS,
            IDENTITY_CHANGES,
            AUDIT_RECORDS,
            FEDERATION_DEAD_LETTERS,
            EMAIL_DEAD_LETTERS,
            WEBHOOK_DEAD_LETTERS);

    private Topics() {
    }

    /** Every topic of the node, in a stable order; what a deployment (or a test broker) must create. */
    public static List<Topic> all() {
        return ALL;
    }

    /** The topic with the given name, if the node uses one. */
    public static Optional<Topic> byName(String name) {
        return ALL.stream().filter(topic -> topic.name().equals(name)).findFirst();
    }

    /** The dead-letter topic for an outbox kind ({@code federation}, {@code email} or {@code webhook}). */
    public static Topic deadLetters(String kind) {
        return switch (kind) {
            case DeadLetter.KIND_FEDERATION -> FEDERATION_DEAD_LETTERS;
            case DeadLetter.KIND_EMAIL -> EMAIL_DEAD_LETTERS;
            case DeadLetter.KIND_WEBHOOK -> WEBHOOK_DEAD_LETTERS;
            default -> throw new IllegalArgumentException("no outbox of kind " + kind);
        };
    }
}
