package org.loom.envelope.thread.op;

import java.time.Clock;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.kafka.ThreadRelationCommand;
import org.loom.protocol.kafka.Topics;
import org.loom.service.messaging.OutboxEvents;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Queues the effect a fork, merge or link has on another thread as a {@link ThreadRelationCommand} keyed by that
 * thread, in the transaction that accepts the operation: the other thread changes under its own lock, and only if the
 * operation committed.
 */
@Component
class RelationCommands {

    private final OutboxEvents outbox;
    private final Clock clock;

    RelationCommands(OutboxEvents outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    void send(String targetThreadId, String effect, ThreadOperationRequest source, String relation,
            ObjectNode details) {
        outbox.append(Topics.ENVELOPE_COMMANDS, targetThreadId, new ThreadRelationCommand(
                LoomIds.next(IdPrefix.EVENT), targetThreadId, effect, source.thread().id(), source.envelope().id(),
                relation, details, clock.instant()));
    }
}
