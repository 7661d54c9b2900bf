package org.loom.load;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;

/**
 * Every envelope of a run with its thread, parent, sender and recipients, in submission order.
 *
 * <p>Threads are interleaved the way a busy node sees them: a window of threads is open at once and each contributes
 * its next envelope in turn, so replies to early threads arrive while new threads keep starting. Within a thread a
 * parent always precedes its replies, and only the thread's participants (its first envelope's sender and
 * recipients) send in it, since the node refuses anyone else.
 */
public final class WorkloadPlan {

    /** Threads contributing envelopes at the same time. */
    static final int OPEN_THREADS = 64;

    /** A reply in a long thread answers one of this many most recent envelopes. */
    static final int RECENT_PARENTS = 20;

    private final List<PlannedEnvelope> envelopes;
    private final Map<String, List<PlannedEnvelope>> replies;
    private final Map<String, List<PlannedEnvelope>> threads;

    private WorkloadPlan(List<PlannedEnvelope> envelopes) {
        this.envelopes = List.copyOf(envelopes);
        Map<String, List<PlannedEnvelope>> repliesByParent = new HashMap<>();
        Map<String, List<PlannedEnvelope>> byThread = new LinkedHashMap<>();
        for (PlannedEnvelope envelope : this.envelopes) {
            if (!envelope.root()) {
                repliesByParent.computeIfAbsent(envelope.parentId(), key -> new ArrayList<>()).add(envelope);
            }
            byThread.computeIfAbsent(envelope.threadId(), key -> new ArrayList<>()).add(envelope);
        }
        this.replies = repliesByParent;
        this.threads = byThread;
    }

    /**
     * Threads of the three ingest shapes sharing {@code total} envelopes as {@code mix} says.
     *
     * @param identities how many identities exist to pick participants from
     */
    public static WorkloadPlan ingest(int total, ShapeMix mix, int depth, int width, int recipients, int identities,
                                      Random random) {
        Map<ThreadShape, Integer> counts = split(total, mix);
        List<ThreadDraft> drafts = new ArrayList<>();
        for (int i = 0; i < counts.get(ThreadShape.NEW); i++) {
            drafts.add(ThreadDraft.open(ThreadShape.NEW, 1, recipients, identities, random));
        }
        for (int left = counts.get(ThreadShape.DEEP); left > 0; left -= depth) {
            drafts.add(ThreadDraft.open(ThreadShape.DEEP, Math.min(depth, left), recipients, identities, random));
        }
        for (int left = counts.get(ThreadShape.WIDE); left > 0; left -= width + 1) {
            drafts.add(ThreadDraft.open(ThreadShape.WIDE, Math.min(width + 1, left), recipients, identities, random));
        }
        Collections.shuffle(drafts, random);
        return interleave(drafts);
    }

    /** One thread of {@code size} envelopes, each reply answering one of the most recent ones. */
    public static WorkloadPlan longThread(int size, int recipients, int identities, Random random) {
        return interleave(List.of(ThreadDraft.open(ThreadShape.LONG, size, recipients, identities, random)));
    }

    /** How many envelopes of {@code total} go into each shape: floors of the shares, the rest to the largest one. */
    static Map<ThreadShape, Integer> split(int total, ShapeMix mix) {
        Map<ThreadShape, Integer> counts = new LinkedHashMap<>();
        ThreadShape largest = ThreadShape.NEW;
        int assigned = 0;
        for (ThreadShape shape : List.of(ThreadShape.NEW, ThreadShape.DEEP, ThreadShape.WIDE)) {
            int count = (int) ((long) total * mix.of(shape) / 100);
            counts.put(shape, count);
            assigned += count;
            if (mix.of(shape) > mix.of(largest)) {
                largest = shape;
            }
        }
        counts.merge(largest, total - assigned, Integer::sum);
        return counts;
    }

    private static WorkloadPlan interleave(List<ThreadDraft> drafts) {
        List<PlannedEnvelope> ordered = new ArrayList<>();
        Deque<ThreadDraft> waiting = new ArrayDeque<>(drafts);
        Deque<ThreadDraft> open = new ArrayDeque<>();
        while (!waiting.isEmpty() || !open.isEmpty()) {
            while (open.size() < OPEN_THREADS && !waiting.isEmpty()) {
                open.addLast(waiting.removeFirst());
            }
            ThreadDraft next = open.removeFirst();
            ordered.add(next.emit(ordered.size()));
            if (next.hasMore()) {
                open.addLast(next);
            }
        }
        return new WorkloadPlan(ordered);
    }

    /** Every envelope, in submission order. */
    public List<PlannedEnvelope> envelopes() {
        return envelopes;
    }

    /** The envelopes that reply to {@code parent}, in submission order. */
    public List<PlannedEnvelope> repliesTo(PlannedEnvelope parent) {
        return replies.getOrDefault(parent.id(), List.of());
    }

    /** The envelopes of each thread, in submission order, by thread id. */
    public Map<String, List<PlannedEnvelope>> threads() {
        return Collections.unmodifiableMap(threads);
    }

    public int size() {
        return envelopes.size();
    }

    /** A thread being laid out: its participants are fixed when it opens, its envelopes emitted one at a time. */
    private static final class ThreadDraft {

        private final ThreadShape shape;
        private final int size;
        private final List<Integer> participants;
        private final Random random;
        private final String threadId = LoomIds.next(IdPrefix.THREAD);
        private final List<String> emitted = new ArrayList<>();

        private ThreadDraft(ThreadShape shape, int size, List<Integer> participants, Random random) {
            this.shape = shape;
            this.size = size;
            this.participants = participants;
            this.random = random;
        }

        static ThreadDraft open(ThreadShape shape, int size, int recipients, int identities, Random random) {
            List<Integer> participants = new ArrayList<>();
            while (participants.size() < recipients + 1) {
                int candidate = random.nextInt(identities);
                if (!participants.contains(candidate)) {
                    participants.add(candidate);
                }
            }
            return new ThreadDraft(shape, size, List.copyOf(participants), random);
        }

        boolean hasMore() {
            return emitted.size() < size;
        }

        PlannedEnvelope emit(int sequence) {
            int index = emitted.size();
            String parentId = index == 0 ? null : switch (shape) {
                case NEW -> throw new IllegalStateException("a new-thread shape has one envelope");
                case DEEP -> emitted.get(index - 1);
                case WIDE -> emitted.get(0);
                case LONG -> emitted.get(index - 1 - random.nextInt(Math.min(RECENT_PARENTS, index)));
            };
            int sender = switch (shape) {
                case NEW -> participants.get(0);
                // A conversation: the participants take turns.
                case DEEP -> participants.get(index % participants.size());
                // The first envelope's sender opens; its recipients answer it.
                case WIDE -> index == 0 ? participants.get(0) : participants.get(1 + random.nextInt(
                        participants.size() - 1));
                case LONG -> index == 0 ? participants.get(0) : participants.get(random.nextInt(participants.size()));
            };
            List<Integer> to = new ArrayList<>(participants);
            to.remove(Integer.valueOf(sender));
            String id = LoomIds.next(IdPrefix.ENVELOPE);
            emitted.add(id);
            return new PlannedEnvelope(sequence, id, threadId, parentId, shape, sender, to);
        }
    }
}
