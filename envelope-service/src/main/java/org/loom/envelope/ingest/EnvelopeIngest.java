package org.loom.envelope.ingest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.loom.envelope.stored.EnvelopeStore;
import org.loom.envelope.stored.StoredEnvelope;
import org.loom.envelope.thread.Participants;
import org.loom.envelope.thread.ThreadRecord;
import org.loom.envelope.thread.ThreadStore;
import org.loom.envelope.thread.op.ThreadOperationOutcome;
import org.loom.envelope.thread.op.ThreadOperations;
import org.loom.envelope.thread.op.ThreadOperations.PreparedOperation;
import org.loom.protocol.envelope.Envelope;
import org.loom.protocol.envelope.EnvelopeValidator;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.EnvelopeAccepted;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.protocol.kafka.Topics;
import org.loom.protocol.thread.ThreadDag;
import org.loom.protocol.thread.ThreadState;
import org.loom.protocol.time.Timestamps;
import org.loom.service.messaging.OutboxEvents;
import org.loom.service.messaging.ProcessedMessages;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides envelope submissions: whether the envelope joins its thread, and with which {@code meta}.
 *
 * <p>The gateway has already checked the envelope's shape, its signature with a key of {@code from.identity}, the
 * sender type, and that the actor is the sender. What needs the node's state is decided here, in this order: a
 * duplicate id anywhere on the node; a locked thread; a sender who is not an active participant; a thread operation
 * on a thread that does not exist; the operation's intent and authorisation; a parent link that would close a cycle;
 * and finally the operation's own rules.
 *
 * <p>Everything a decision changes commits in one transaction that holds the thread row's lock: the envelope, the
 * thread, its participants, the record that the command was processed, the {@link EnvelopeAccepted} event and the
 * reply. A refusal rolls all of that back and is then recorded, with its reply, by {@link #refuse}.
 */
@Service
public class EnvelopeIngest {

    private static final String COMMANDS = Topics.ENVELOPE_COMMANDS.name();
    /** The route the federation-service submits delivered envelopes under. */
    static final String FEDERATION_ROUTE = "/v1/federation/deliver";
    /** The label of threads that received envelopes from a node under quarantine. */
    static final String QUARANTINE_LABEL = "sys.quarantine";

    private final EnvelopeStore envelopes;
    private final ThreadStore threads;
    private final ThreadOperations operations;
    private final ProcessedMessages processed;
    private final OutboxEvents outbox;
    private final CommandReplies replies;
    private final NodeSettings node;
    private final Clock clock;

    EnvelopeIngest(EnvelopeStore envelopes, ThreadStore threads, ThreadOperations operations,
            ProcessedMessages processed, OutboxEvents outbox, CommandReplies replies, NodeSettings node, Clock clock) {
        this.envelopes = envelopes;
        this.threads = threads;
        this.operations = operations;
        this.processed = processed;
        this.outbox = outbox;
        this.replies = replies;
        this.node = node;
        this.clock = clock;
    }

    /**
     * Stores the command's envelope and queues the 201 reply carrying the stored envelope; empty when the command
     * was processed before (its reply is already queued).
     *
     * @throws LoomException the refusal; nothing is stored, and the caller records it with {@link #refuse}
     */
    @Transactional
    public Optional<CommandResult> submit(SubmitEnvelopeCommand command, OptionalInt replyPartition) {
        if (!processed.firstDelivery(command.messageId(), COMMANDS)) {
            return Optional.empty();
        }
        Envelope envelope = EnvelopeValidator.parse(command.envelope());
        String actor = command.actor();
        String threadId = envelope.threadId();
        String now = Timestamps.format(clock.instant());

        if (envelopes.exists(envelope.id())) {
            throw new LoomException(ErrorCode.ENVELOPE_DUPLICATE, "Envelope already exists: " + envelope.id(),
                    LoomException.details("envelope_id", envelope.id()));
        }
        Optional<ThreadRecord> existing = threads.lock(threadId);
        if (existing.isEmpty() && envelope.isThreadOp()) {
            throw new LoomException(ErrorCode.THREAD_NOT_FOUND, "thread_op requires an existing thread: " + threadId,
                    LoomException.details("thread_id", threadId));
        }
        ThreadRecord thread = existing.orElseGet(() ->
                threads.lockOrOpen(ThreadRecord.opening(threadId, envelope.createdAt(), now)));
        boolean opening = thread.opening();
        Participants participants = opening
                ? Participants.ofNewThread(envelope.from().identity().toString(), envelope.recipientIdentities(),
                        envelope.createdAt())
                : threads.participants(threadId);
        if (!opening) {
            checkThreadAdmits(envelope, actor, thread, participants);
        }
        PreparedOperation operation = envelope.isThreadOp()
                ? operations.prepare(envelope, actor, thread, participants)
                : null;

        Optional<String> parentId = envelope.parentId();
        if (parentId.isPresent() && closesCycle(threadId, envelope.id(), parentId.get())) {
            throw LoomException.invalid("Thread DAG contains a cycle",
                    LoomException.details("thread_id", threadId, "envelope_id", envelope.id()));
        }
        boolean pendingParent = parentId.isPresent() && !envelopes.exists(parentId.get());

        ThreadRecord next = thread.withEnvelope(envelope.id(), parentId.isPresent(), now);
        Participants nextParticipants = participants;
        if (operation != null) {
            ThreadOperationOutcome outcome = operation.apply(next, participants);
            next = outcome.thread();
            nextParticipants = outcome.participants();
        }

        if (quarantined(command, envelope) && !next.labels().contains(QUARANTINE_LABEL)) {
            List<String> labels = new ArrayList<>(next.labels());
            labels.add(QUARANTINE_LABEL);
            next = next.withLabels(labels);
        }

        long eventSeq = next.eventSeqCounter();
        ObjectNode stored = new EnvelopeMeta(node.id(), now, eventSeq, pendingParent).stamp(envelope.json());
        envelopes.insert(new StoredEnvelope(envelope.id(), threadId, parentId, envelope.type(),
                envelope.from().identity().toString(), envelope.createdAt(),
                envelope.createdAtInstant().toEpochMilli(), now, eventSeq, LoomJson.write(stored)));
        threads.update(next);
        if (opening) {
            threads.addParticipants(threadId, nextParticipants.members());
        } else if (!nextParticipants.equals(participants)) {
            threads.replaceParticipants(threadId, nextParticipants.members());
        }
        outbox.append(Topics.ENVELOPE_EVENTS, threadId,
                new EnvelopeAccepted(LoomIds.next(IdPrefix.EVENT), threadId, envelope.id(), eventSeq, stored));
        return Optional.of(replies.success(command.correlationId(), replyPartition, 201, stored));
    }

    /**
     * Records a refused command as processed and queues its error reply; empty when the command was processed
     * before.
     */
    @Transactional
    public Optional<CommandResult> refuse(SubmitEnvelopeCommand command, OptionalInt replyPartition,
            LoomException refusal) {
        if (!processed.firstDelivery(command.messageId(), COMMANDS)) {
            return Optional.empty();
        }
        return Optional.of(replies.refusal(command.correlationId(), replyPartition, refusal));
    }

    /**
     * Gives up on a command that kept failing for a reason that is not a protocol refusal: records it as processed
     * and answers {@code INTERNAL_ERROR}, so the waiting client is not left without an answer.
     */
    @Transactional
    public Optional<CommandResult> giveUp(String messageId, String correlationId, OptionalInt replyPartition) {
        if (!processed.firstDelivery(messageId, COMMANDS)) {
            return Optional.empty();
        }
        return Optional.of(replies.internalError(correlationId, replyPartition));
    }

    /**
     * True for an envelope the federation-service delivered from a node under quarantine policy. Only that service
     * submits on the federation route, and it sets {@code meta.federation} itself, replacing whatever the sender put
     * there.
     */
    private static boolean quarantined(SubmitEnvelopeCommand command, Envelope envelope) {
        return FEDERATION_ROUTE.equals(command.route())
                && "quarantine".equals(envelope.json().path("meta").path("federation").path("policy").asString(""));
    }

    private static void checkThreadAdmits(Envelope envelope, String actor, ThreadRecord thread,
            Participants participants) {
        if (envelope.isThreadOp()) {
            return;
        }
        if (thread.state() == ThreadState.LOCKED) {
            throw new LoomException(ErrorCode.THREAD_LOCKED, "Thread is locked: " + thread.id(),
                    LoomException.details("thread_id", thread.id()));
        }
        if (!participants.isActive(actor)) {
            throw LoomException.capabilityDenied("Sender is not an active participant of the thread",
                    LoomException.details("thread_id", thread.id(), "actor", actor));
        }
    }

    /**
     * A cycle needs an envelope of the thread that already names the new one as its parent (it arrived before its
     * parent), or a self-parent; only then is the thread's parent map loaded and walked.
     */
    private boolean closesCycle(String threadId, String envelopeId, String parentId) {
        if (!parentId.equals(envelopeId) && !envelopes.hasChildIn(threadId, envelopeId)) {
            return false;
        }
        return ThreadDag.wouldCreateCycle(envelopes.parentLinks(threadId), envelopeId, parentId);
    }
}
