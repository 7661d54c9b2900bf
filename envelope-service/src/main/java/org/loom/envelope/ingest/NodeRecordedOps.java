package org.loom.envelope.ingest;

import java.time.Clock;
import java.util.Optional;
import org.loom.envelope.node.NodeKey;
import org.loom.envelope.stored.EnvelopeStore;
import org.loom.envelope.stored.StoredEnvelope;
import org.loom.envelope.thread.ThreadRecord;
import org.loom.protocol.envelope.Envelope;
import org.loom.protocol.envelope.EnvelopeValidator;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.EnvelopeAccepted;
import org.loom.protocol.kafka.Topics;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.time.Timestamps;
import org.loom.service.messaging.OutboxEvents;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records, in a thread, a thread operation the node itself performed: {@code capability.revoked@v1} when a token is
 * revoked through {@code DELETE /v1/capabilities/{id}}, {@code capability.spent@v1} when a single-use token is used
 * (spec §12.3, §12.5). The operation is an ordinary stored {@code thread_op} envelope, sent from the node's identity,
 * signed with the node key, sequenced and published like any other, so the thread's event log holds the change.
 */
@Component
public class NodeRecordedOps {

    private final EnvelopeStore envelopes;
    private final OutboxEvents outbox;
    private final NodeKey nodeKey;
    private final NodeSettings node;
    private final Clock clock;

    NodeRecordedOps(EnvelopeStore envelopes, OutboxEvents outbox, NodeKey nodeKey, NodeSettings node, Clock clock) {
        this.envelopes = envelopes;
        this.outbox = outbox;
        this.nodeKey = nodeKey;
        this.node = node;
        this.clock = clock;
    }

    /**
     * Stores the operation in the locked thread and returns the thread with its event sequence advanced; the caller
     * writes the thread row.
     *
     * @param thread     the locked thread, as it stands in the transaction
     * @param intent     the operation's intent
     * @param parameters its parameters
     * @param recipient  the primary recipient (the identity the change concerns most)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public ThreadRecord record(ThreadRecord thread, String intent, ObjectNode parameters, String recipient) {
        String now = Timestamps.format(clock.instant());
        ObjectNode unsigned = LoomJson.mapper().createObjectNode();
        unsigned.put("loom", "1.1");
        unsigned.put("id", LoomIds.next(IdPrefix.ENVELOPE));
        unsigned.put("thread_id", thread.id());
        unsigned.putNull("parent_id");
        unsigned.put("type", "thread_op");
        ObjectNode from = unsigned.putObject("from");
        from.put("identity", nodeKey.identity());
        from.put("key_id", nodeKey.keyId());
        from.put("type", "service");
        unsigned.putArray("to").addObject().put("identity", recipient).put("role", "primary");
        unsigned.put("created_at", now);
        ObjectNode structured = unsigned.putObject("content").putObject("structured");
        structured.put("intent", intent);
        structured.set("parameters", parameters);
        Envelope envelope = EnvelopeValidator.parse(EnvelopeSignatures.sign(unsigned, nodeKey.key(), nodeKey.keyId()));

        ThreadRecord next = thread.withEnvelope(envelope.id(), true, now);
        long eventSeq = next.eventSeqCounter();
        ObjectNode stored = new EnvelopeMeta(node.id(), now, eventSeq, false).stamp(envelope.json());
        envelopes.insert(new StoredEnvelope(envelope.id(), thread.id(), Optional.empty(), envelope.type(),
                nodeKey.identity(), envelope.createdAt(), envelope.createdAtInstant().toEpochMilli(), now, eventSeq,
                LoomJson.write(stored)));
        outbox.append(Topics.ENVELOPE_EVENTS, thread.id(),
                new EnvelopeAccepted(LoomIds.next(IdPrefix.EVENT), thread.id(), envelope.id(), eventSeq, stored));
        return next;
    }
}
