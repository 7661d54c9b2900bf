package org.loom.envelope.thread;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.loom.protocol.thread.ThreadState;

/**
 * A thread as stored: everything about it except its participants and envelopes.
 *
 * @param id               {@code thr_} id
 * @param rootEnvelopeId   the first envelope without a parent; empty until one arrives
 * @param subject          set only by {@code thread.update@v1}
 * @param state            the lifecycle state
 * @param createdAt        the first envelope's {@code created_at}, as sent
 * @param updatedAt        when the thread last changed, node time in millisecond UTC form
 * @param labels           the thread's labels, in order, without duplicates
 * @param capEpoch         the capability epoch; revoking a capability raises it
 * @param eventSeqCounter  the last {@code event_seq} handed out; 0 for a thread whose first envelope is being stored
 */
public record ThreadRecord(
        String id,
        Optional<String> rootEnvelopeId,
        Optional<String> subject,
        ThreadState state,
        String createdAt,
        String updatedAt,
        List<String> labels,
        long capEpoch,
        long eventSeqCounter) {

    public ThreadRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rootEnvelopeId, "rootEnvelopeId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        labels = List.copyOf(labels);
        if (eventSeqCounter < 0) {
            throw new IllegalArgumentException("event_seq_counter cannot be negative");
        }
    }

    /** A thread about to receive its first envelope. */
    public static ThreadRecord opening(String id, String createdAt, String now) {
        return new ThreadRecord(id, Optional.empty(), Optional.empty(), ThreadState.ACTIVE, createdAt, now, List.of(),
                0, 0);
    }

    /** True while the transaction storing the thread's first envelope is deciding. */
    public boolean opening() {
        return eventSeqCounter == 0;
    }

    public ThreadRecord withState(ThreadState next) {
        return new ThreadRecord(id, rootEnvelopeId, subject, next, createdAt, updatedAt, labels, capEpoch,
                eventSeqCounter);
    }

    public ThreadRecord withSubject(String next) {
        return new ThreadRecord(id, rootEnvelopeId, Optional.of(next), state, createdAt, updatedAt, labels, capEpoch,
                eventSeqCounter);
    }

    public ThreadRecord withLabels(List<String> next) {
        return new ThreadRecord(id, rootEnvelopeId, subject, state, createdAt, updatedAt, next, capEpoch,
                eventSeqCounter);
    }

    /** The thread with {@code updated_at} moved, for a change that adds no envelope. */
    public ThreadRecord touched(String now) {
        return new ThreadRecord(id, rootEnvelopeId, subject, state, createdAt, now, labels, capEpoch,
                eventSeqCounter);
    }

    public ThreadRecord withCapEpoch(long next) {
        return new ThreadRecord(id, rootEnvelopeId, subject, state, createdAt, updatedAt, labels, next,
                eventSeqCounter);
    }

    /**
     * The thread after one more envelope: the next event sequence number taken, {@code updated_at} moved, and the
     * envelope made the root if it has no parent and the thread has no root yet.
     */
    public ThreadRecord withEnvelope(String envelopeId, boolean hasParent, String now) {
        Optional<String> root = rootEnvelopeId.isEmpty() && !hasParent ? Optional.of(envelopeId) : rootEnvelopeId;
        return new ThreadRecord(id, root, subject, state, createdAt, now, labels, capEpoch, eventSeqCounter + 1);
    }
}
