package org.loom.protocol.thread;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.loom.protocol.time.Timestamps;

/**
 * Invariants of the canonical order over random threads, checked against a direct, quadratic reading of the rule:
 * at every step, the earliest of the envelopes whose parent is absent or already placed goes next.
 */
class ThreadDagProperties {

    private static final Instant T0 = Instant.parse("2026-02-16T20:00:00Z");

    @Property
    void everyParentInTheThreadPrecedesItsChild(@ForAll("threads") List<DagNode> thread) {
        List<DagNode> order = ThreadDag.canonicalOrder(thread);
        Map<String, Integer> position = positions(order);

        for (DagNode node : thread) {
            node.parentId().filter(position::containsKey).ifPresent(parent ->
                    assertThat(position.get(parent)).isLessThan(position.get(node.id())));
        }
    }

    @Property
    void isAPermutationOfTheThread(@ForAll("threadsWithUnreadableTimes") List<DagNode> thread) {
        List<DagNode> order = ThreadDag.canonicalOrder(thread);

        assertThat(order).hasSameSizeAs(thread).containsExactlyInAnyOrderElementsOf(thread);
    }

    @Property
    void dependsOnlyOnTheSetOfEnvelopes(@ForAll("threadsWithUnreadableTimes") List<DagNode> thread,
            @ForAll Random random) {
        List<DagNode> shuffled = new ArrayList<>(thread);
        Collections.shuffle(shuffled, random);

        assertThat(ThreadDag.canonicalOrder(shuffled)).isEqualTo(ThreadDag.canonicalOrder(thread));
    }

    @Property
    void positionsPutTheGivenListInCanonicalOrder(@ForAll("threadsWithUnreadableTimes") List<DagNode> thread) {
        int[] positions = ThreadDag.canonicalPositions(thread);
        List<DagNode> placed = new ArrayList<>();
        for (int position : positions) {
            placed.add(thread.get(position));
        }

        assertThat(placed).isEqualTo(ThreadDag.canonicalOrder(thread));
    }

    @Property
    void alwaysTakesTheSmallestReadyEnvelope(@ForAll("threads") List<DagNode> thread) {
        assertThat(ThreadDag.canonicalOrder(thread)).isEqualTo(naiveOrder(thread));
    }

    @Property
    void parentsStillPrecedeChildrenWhenSomeTimesAreUnreadable(
            @ForAll("threadsWithUnreadableTimes") List<DagNode> thread) {
        List<DagNode> order = ThreadDag.canonicalOrder(thread);
        Map<String, Integer> position = positions(order);

        for (DagNode node : thread) {
            node.parentId().filter(position::containsKey).ifPresent(parent ->
                    assertThat(position.get(parent)).isLessThan(position.get(node.id())));
        }
    }

    @Property
    void addingAnEnvelopeToAnAcyclicThreadClosesACycleExactlyWhenItIsAnAncestorOfItsParent(
            @ForAll("threads") List<DagNode> thread, @ForAll Random random) {
        if (thread.isEmpty()) {
            return;
        }
        Map<String, String> parentById = new HashMap<>();
        for (DagNode node : thread) {
            parentById.put(node.id(), node.parentId().orElse(null));
        }
        // Take one envelope out and put it back with a random parent from the thread.
        DagNode removed = thread.get(random.nextInt(thread.size()));
        parentById.remove(removed.id());
        String newParent = thread.get(random.nextInt(thread.size())).id();

        Set<String> ancestorsOfNewParent = new HashSet<>();
        for (String current = newParent; current != null && ancestorsOfNewParent.add(current); ) {
            current = current.equals(removed.id()) ? null : parentById.get(current);
        }

        assertThat(ThreadDag.wouldCreateCycle(parentById, removed.id(), newParent))
                .isEqualTo(ancestorsOfNewParent.contains(removed.id()));
    }

    @Provide
    Arbitrary<List<DagNode>> threads() {
        return threads(0);
    }

    @Provide
    Arbitrary<List<DagNode>> threadsWithUnreadableTimes() {
        return threads(-3);
    }

    /**
     * Threads of up to 40 envelopes with times drawn from a narrow range (so ties happen) and ids whose order is
     * unrelated to the order of creation. Each envelope's parent is none, one not in the thread, or an earlier
     * envelope, so the thread is acyclic. Times below zero stand for unreadable timestamps.
     */
    private Arbitrary<List<DagNode>> threads(int minTime) {
        Arbitrary<int[]> spec = Combinators.combine(
                Arbitraries.integers().between(-2, 1000),
                Arbitraries.integers().between(minTime, 12),
                Arbitraries.integers().between(0, 99))
                .as((parent, time, idKey) -> new int[] {parent, time, idKey});
        return spec.list().ofMaxSize(40).map(ThreadDagProperties::build);
    }

    private static List<DagNode> build(List<int[]> specs) {
        List<DagNode> nodes = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            int[] spec = specs.get(i);
            String id = String.format("env_%02d_%02d", spec[2], i);
            String parent = null;
            if (spec[0] == -1) {
                parent = "env_missing_" + i;
            } else if (spec[0] >= 0 && i > 0) {
                parent = nodes.get(spec[0] % i).id();
            }
            String createdAt = spec[1] < 0 ? "not a time " + spec[1] : Timestamps.format(T0.plusMillis(spec[1]));
            nodes.add(DagNode.of(id, parent, createdAt));
        }
        return nodes;
    }

    /** The rule as stated, one step at a time, with the comparison written out again. */
    private static List<DagNode> naiveOrder(List<DagNode> thread) {
        Set<String> ids = new HashSet<>();
        thread.forEach(n -> ids.add(n.id()));
        Comparator<DagNode> earliest = Comparator
                .comparing((DagNode n) -> Timestamps.parse(n.createdAt()).orElseThrow().toEpochMilli())
                .thenComparing(DagNode::id);
        List<DagNode> remaining = new ArrayList<>(thread);
        Set<String> placed = new HashSet<>();
        List<DagNode> order = new ArrayList<>();
        while (!remaining.isEmpty()) {
            DagNode next = remaining.stream()
                    .filter(n -> n.parentId().filter(ids::contains).map(placed::contains).orElse(true))
                    .min(earliest)
                    .orElseThrow();
            remaining.remove(next);
            placed.add(next.id());
            order.add(next);
        }
        return order;
    }

    private static Map<String, Integer> positions(List<DagNode> order) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i).id(), i);
        }
        return position;
    }
}
