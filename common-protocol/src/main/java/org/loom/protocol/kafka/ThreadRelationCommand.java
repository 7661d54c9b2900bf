package org.loom.protocol.kafka;

import java.time.Instant;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The effect a fork, merge or link decided on one thread has on another. The envelope-service writes it to its outbox
 * in the transaction that accepted the operation and publishes it on {@link Topics#ENVELOPE_COMMANDS}, keyed by the
 * other thread, so that thread's change is decided under that thread's own lock. Nobody waits for an answer.
 *
 * @param messageId        unique per record
 * @param threadId         the thread this command changes
 * @param effect           {@link #FORK_OPENED} (create the fork thread), {@link #FORK_MERGED} (the parent learns
 *                         that its fork was merged) or {@link #LINKED} (add the reciprocal link)
 * @param sourceThreadId   the thread the operation was posted to
 * @param sourceEnvelopeId the operation envelope
 * @param relation         for {@link #LINKED}: the relation as seen from {@code threadId}; otherwise null
 * @param details          effect-specific facts: for {@link #FORK_OPENED} {@code forked_from}, {@code subject},
 *                         {@code created_at} and {@code participants} (the parent's active participants); {@code {}}
 *                         otherwise
 * @param decidedAt        when the operation was accepted
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ThreadRelationCommand(
        String messageId,
        String threadId,
        String effect,
        String sourceThreadId,
        String sourceEnvelopeId,
        String relation,
        JsonNode details,
        Instant decidedAt) implements LoomMessage {

    public static final String FORK_OPENED = "fork.opened";
    public static final String FORK_MERGED = "fork.merged";
    public static final String LINKED = "linked";

    private static final Set<String> EFFECTS = Set.of(FORK_OPENED, FORK_MERGED, LINKED);

    public ThreadRelationCommand {
        Checks.messageId(messageId);
        Checks.text(threadId, "thread_id");
        if (!EFFECTS.contains(Checks.text(effect, "effect"))) {
            throw new IllegalArgumentException("unknown thread relation effect: " + effect);
        }
        Checks.text(sourceThreadId, "source_thread_id");
        Checks.text(sourceEnvelopeId, "source_envelope_id");
        if (effect.equals(LINKED)) {
            Checks.text(relation, "relation");
        }
        if (Checks.present(details, "details").isObject()) {
            details = details.deepCopy();
        } else {
            throw new IllegalArgumentException("details must be a JSON object");
        }
        Checks.present(decidedAt, "decided_at");
    }
}
