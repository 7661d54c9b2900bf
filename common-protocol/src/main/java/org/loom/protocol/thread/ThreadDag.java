package org.loom.protocol.thread;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.PriorityQueue;

/**
 * The envelopes of a thread form a forest by {@code parent_id}: an envelope whose parent is not in the thread (not
 * arrived yet, or in another thread) is a root of its own. This class answers the two questions the node asks of
 * that graph: does a new envelope close a cycle, and in which order are the envelopes rendered.
 */
public final class ThreadDag {

    private ThreadDag() {
    }

    /**
     * Whether adding an envelope to a thread would close a cycle. That happens when the new envelope is its own
     * parent, or when it is an ancestor of its own parent: an envelope arrived earlier naming the new one as its
     * (then missing) parent, directly or through others.
     *
     * <p>Walks up from the new parent, so the cost is the depth of that branch, not the size of the thread.
     *
     * @param parentById  the thread's envelopes so far, each mapped to its parent id ({@code null} for roots);
     *                    must not contain {@code newId}
     * @param newId       the arriving envelope
     * @param newParentId its parent, or {@code null} for a root
     */
    public static boolean wouldCreateCycle(Map<String, String> parentById, String newId, String newParentId) {
        Objects.requireNonNull(parentById, "parentById");
        Objects.requireNonNull(newId, "newId");
        String current = newParentId;
        // A walk longer than the thread is itself going round a cycle: the stored thread is already broken, and
        // adding to it is refused as well.
        for (int steps = 0; current != null && steps <= parentById.size(); steps++) {
            if (current.equals(newId)) {
                return true;
            }
            if (!parentById.containsKey(current)) {
                return false;
            }
            current = parentById.get(current);
        }
        return current != null;
    }

    /**
     * True when the envelopes contain a cycle, i.e. some envelope cannot be reached from a root. A thread built
     * through {@link #wouldCreateCycle} never has one.
     */
    public static boolean containsCycle(Collection<DagNode> nodes) {
        return new Ordering(List.copyOf(nodes)).emitAcyclic().size() < nodes.size();
    }

    /**
     * The canonical rendering order of a thread's envelopes.
     *
     * <p>Starting from the roots, the earliest envelope among those whose parent has already been emitted goes
     * next. "Earliest" compares {@code created_at} at millisecond precision and then the id (by code point); when
     * either timestamp is unreadable, or both fall in the same millisecond, the id alone decides. This is a single
     * global priority, not a walk of each branch in turn: a late reply to an early envelope comes after everything
     * created before it, whatever branch that is in.
     *
     * <p>Envelopes left over because they sit on a cycle are appended, sorted by id, so the order is always total.
     * The result depends only on the set of envelopes, not on the order they are given in.
     *
     * @throws IllegalArgumentException when two nodes share an id
     */
    public static List<DagNode> canonicalOrder(Collection<DagNode> nodes) {
        List<DagNode> given = List.copyOf(nodes);
        int[] positions = canonicalPositions(given);
        List<DagNode> order = new ArrayList<>(positions.length);
        for (int position : positions) {
            order.add(given.get(position));
        }
        return Collections.unmodifiableList(order);
    }

    /**
     * {@link #canonicalOrder} as positions in {@code nodes}: element {@code i} of the answer is the index in
     * {@code nodes} of the {@code i}-th envelope to render. Lets a caller that keeps more per envelope than its
     * {@link DagNode} (the stored JSON, say) put its own list in order without a map from id to item.
     *
     * @throws IllegalArgumentException when two nodes share an id
     */
    public static int[] canonicalPositions(List<DagNode> nodes) {
        Ordering ordering = new Ordering(nodes);
        List<Entry> order = ordering.emitAcyclic();
        if (order.size() < nodes.size()) {
            order.addAll(ordering.leftoversById());
        }
        int[] positions = new int[order.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = order.get(i).index;
        }
        return positions;
    }

    /** One run of the ordering: the graph indexed once, then emitted with a priority queue. */
    private static final class Ordering {

        private static final Comparator<Entry> BY_ID = (a, b) -> compareCodePoints(a.node.id(), b.node.id());

        private final Map<String, Entry> byId;
        private final List<Entry> roots = new ArrayList<>();
        private boolean everyTimeReadable = true;

        Ordering(List<DagNode> nodes) {
            byId = new HashMap<>(Math.max(16, nodes.size() * 2));
            for (int i = 0; i < nodes.size(); i++) {
                DagNode node = nodes.get(i);
                Entry entry = new Entry(node, i);
                everyTimeReadable &= entry.createdAtReadable;
                if (byId.putIfAbsent(node.id(), entry) != null) {
                    throw new IllegalArgumentException("Duplicate envelope id in thread: " + node.id());
                }
            }
            for (Entry entry : byId.values()) {
                Entry parent = entry.node.parentId().isPresent() ? byId.get(entry.node.parentId().get()) : null;
                if (parent == null) {
                    roots.add(entry);
                } else {
                    parent.addChild(entry);
                }
            }
        }

        List<Entry> emitAcyclic() {
            // With every timestamp readable the comparison is a total order and the queue always yields the one
            // smallest entry. Otherwise it is not transitive, the queue's answers depend on the order of
            // insertions, and inserting in id order makes the result a function of the set alone.
            boolean insertInIdOrder = !everyTimeReadable;
            if (insertInIdOrder) {
                roots.sort(BY_ID);
            }
            PriorityQueue<Entry> ready = new PriorityQueue<>(Math.max(1, roots.size()), Ordering::renderOrder);
            ready.addAll(roots);
            List<Entry> order = new ArrayList<>(byId.size());
            while (!ready.isEmpty()) {
                Entry next = ready.poll();
                next.emitted = true;
                order.add(next);
                if (next.children != null) {
                    if (insertInIdOrder) {
                        next.children.sort(BY_ID);
                    }
                    ready.addAll(next.children);
                }
            }
            return order;
        }

        List<Entry> leftoversById() {
            return byId.values().stream().filter(e -> !e.emitted).sorted(BY_ID).toList();
        }

        private static int renderOrder(Entry a, Entry b) {
            if (a.createdAtReadable && b.createdAtReadable) {
                int byTime = Long.compare(a.createdAtMillis, b.createdAtMillis);
                if (byTime != 0) {
                    return byTime;
                }
            }
            return compareCodePoints(a.node.id(), b.node.id());
        }
    }

    /**
     * Compares by Unicode code point. {@link String#compareTo} compares UTF-16 units, which puts characters above
     * U+10000 (stored as surrogates) before those from U+E000 to U+FFFF; moving surrogates above that block fixes it.
     */
    static int compareCodePoints(String a, String b) {
        int shared = Math.min(a.length(), b.length());
        for (int i = 0; i < shared; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x >= Character.MIN_SURROGATE && y >= Character.MIN_SURROGATE) {
                    return codePointRank(x) - codePointRank(y);
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    private static int codePointRank(char c) {
        return Character.isSurrogate(c) ? c + 0x2000 : c - 0x800;
    }

    private static final class Entry {
        final DagNode node;
        final int index;
        final boolean createdAtReadable;
        final long createdAtMillis;
        List<Entry> children;
        boolean emitted;

        Entry(DagNode node, int index) {
            this.node = node;
            this.index = index;
            OptionalLong millis = CreatedAtMillis.read(node.createdAt());
            this.createdAtReadable = millis.isPresent();
            this.createdAtMillis = millis.orElse(0L);
        }

        void addChild(Entry child) {
            if (children == null) {
                children = new ArrayList<>(2);
            }
            children.add(child);
        }
    }
}
