package org.loom.protocol.thread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.loom.protocol.time.Timestamps;

class ThreadDagTest {

    private static final Instant T0 = Instant.parse("2026-02-16T20:00:00Z");

    // ---------------------------------------------------------------------------------------------------------
    // Canonical order

    @Test
    void takesTheEarliestReadyEnvelopeAcrossBranchesNotOneBranchAtATime() {
        // R at t0 has replies A (t2) and B (t1); C (t1.5) replies to B. C is earlier than A, so it comes first.
        DagNode r = node("R", null, at(0));
        DagNode a = node("A", "R", at(2000));
        DagNode b = node("B", "R", at(1000));
        DagNode c = node("C", "B", at(1500));

        assertThat(ids(ThreadDag.canonicalOrder(List.of(a, c, r, b)))).containsExactly("R", "B", "C", "A");
    }

    @Test
    void interleavesSeveralRootsByTime() {
        // Roots R1 (t0) and R2 (t3), and a child of R1 at t5: the later root comes before the later child.
        DagNode r1 = node("R1", null, at(0));
        DagNode r2 = node("R2", null, at(3000));
        DagNode child = node("child", "R1", at(5000));

        assertThat(ids(ThreadDag.canonicalOrder(List.of(child, r2, r1)))).containsExactly("R1", "R2", "child");
    }

    @Test
    void aChildCreatedBeforeItsParentStillFollowsIt() {
        DagNode parent = node("P", null, at(5000));
        DagNode child = node("C", "P", at(0));
        DagNode other = node("O", null, at(3000));

        assertThat(ids(ThreadDag.canonicalOrder(List.of(child, parent, other)))).containsExactly("O", "P", "C");
    }

    @Test
    void breaksTiesWithinTheSameMillisecondById() {
        DagNode late = node("env_B", null, "2026-02-16T20:00:00.0009Z");
        DagNode early = node("env_C", null, "2026-02-16T20:00:00.0001Z");
        DagNode sameInstantOtherOffset = node("env_A", null, "2026-02-16T21:00:00.000+01:00");

        assertThat(ids(ThreadDag.canonicalOrder(List.of(early, late, sameInstantOtherOffset))))
                .containsExactly("env_A", "env_B", "env_C");
    }

    @Test
    void comparesAtMillisecondPrecision() {
        DagNode second = node("env_A", null, "2026-02-16T20:00:00.002Z");
        DagNode first = node("env_B", null, "2026-02-16T20:00:00.001Z");

        assertThat(ids(ThreadDag.canonicalOrder(List.of(second, first)))).containsExactly("env_B", "env_A");
    }

    @Test
    void comparesByIdAloneWhenATimestampIsUnreadable() {
        DagNode valid = node("env_Z", null, at(0));
        DagNode unreadable = node("env_B", null, "16 Feb 2026");

        assertThat(ids(ThreadDag.canonicalOrder(List.of(valid, unreadable)))).containsExactly("env_B", "env_Z");
    }

    @Test
    void comparesIdsByCodePoint() {
        DagNode lower = node("env_a", null, at(0));
        DagNode upper = node("env_B", null, at(0));
        DagNode digit = node("env_9", null, at(0));

        assertThat(ids(ThreadDag.canonicalOrder(List.of(lower, upper, digit))))
                .containsExactly("env_9", "env_B", "env_a");
    }

    @Test
    void comparesIdsOutsideTheBasicPlaneByCodePointNotByUtf16Unit() {
        DagNode fullwidthTilde = node("id_\uFF5E", null, at(0)); // U+FF5E
        DagNode grinningFace = node("id_\uD83D\uDE00", null, at(0)); // U+1F600, a surrogate pair in UTF-16

        assertThat(ids(ThreadDag.canonicalOrder(List.of(grinningFace, fullwidthTilde))))
                .containsExactly("id_\uFF5E", "id_\uD83D\uDE00");
    }

    @Test
    void codePointComparisonAgreesWithComparingCodePointSequences() {
        String[] samples = {"", "a", "ab", "b", "\uE000", "\uFFFF", "\uD800\uDC00", "\uDBFF\uDFFF", "\uD7FF",
                "a\uD83D\uDE00", "a\uFF5E", "\uD83D\uDE00b", "\uD83D\uDE01"};
        for (String x : samples) {
            for (String y : samples) {
                int expected = Integer.signum(Arrays.compare(x.codePoints().toArray(),
                        y.codePoints().toArray()));
                assertThat(Integer.signum(ThreadDag.compareCodePoints(x, y))).as(x + " vs " + y)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void treatsAnEnvelopeWhoseParentIsNotInTheThreadAsARoot() {
        DagNode orphan = node("O", "elsewhere", at(0));
        DagNode root = node("R", null, at(1000));
        DagNode reply = node("A", "O", at(2000));

        assertThat(ids(ThreadDag.canonicalOrder(List.of(root, reply, orphan)))).containsExactly("O", "R", "A");
    }

    @Test
    void appendsEnvelopesOnACycleSortedByIdInsteadOfLoopingForever() {
        DagNode root = node("R", null, at(5000));
        DagNode x = node("X", "Y", at(0));
        DagNode y = node("Y", "X", at(1000));
        DagNode self = node("S", "S", at(0));
        DagNode belowCycle = node("B", "X", at(0));

        List<DagNode> order = ThreadDag.canonicalOrder(List.of(x, self, root, belowCycle, y));

        assertThat(ids(order)).containsExactly("R", "B", "S", "X", "Y");
        assertThat(ThreadDag.containsCycle(List.of(x, self, root, belowCycle, y))).isTrue();
    }

    @Test
    void detectsNoCycleInAProperThread() {
        List<DagNode> thread = List.of(node("R", null, at(0)), node("A", "R", at(1)), node("B", "A", at(2)),
                node("O", "missing", at(3)));

        assertThat(ThreadDag.containsCycle(thread)).isFalse();
        assertThat(ThreadDag.containsCycle(List.of(node("S", "S", at(0))))).isTrue();
    }

    @Test
    void ordersAnEmptyThreadAsEmpty() {
        assertThat(ThreadDag.canonicalOrder(List.of())).isEmpty();
    }

    @Test
    void refusesTwoEnvelopesWithOneId() {
        assertThatThrownBy(() -> ThreadDag.canonicalOrder(List.of(node("A", null, at(0)), node("A", null, at(1)))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersTenThousandEnvelopesWithEveryParentBeforeItsChildren() {
        // Speed is measured by the JMH benchmark (ThreadOrderBenchmark); this proves the large case is still right.
        List<DagNode> thread = randomThread(10_000, new SplittableRandom(42));

        List<DagNode> order = ThreadDag.canonicalOrder(thread);

        assertThat(order).hasSize(10_000).containsExactlyInAnyOrderElementsOf(thread);
        Map<String, Integer> position = new java.util.HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i).id(), i);
        }
        for (DagNode node : order) {
            node.parentId().filter(position::containsKey)
                    .ifPresent(parent -> assertThat(position.get(parent)).isLessThan(position.get(node.id())));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Cycle check on arrival

    @Test
    void anEnvelopeThatIsItsOwnParentClosesACycle() {
        assertThat(ThreadDag.wouldCreateCycle(Map.of(), "env_A", "env_A")).isTrue();
    }

    @Test
    void theArrivalOfAMissingParentThatNamesItsChildAsParentClosesACycle() {
        // A arrived naming B as its parent before B existed; B now arrives naming A.
        Map<String, String> thread = new HashMap<>();
        thread.put("A", "B");

        assertThat(ThreadDag.wouldCreateCycle(thread, "B", "A")).isTrue();
    }

    @Test
    void aLongerLoopThroughEarlierArrivalsIsACycleToo() {
        Map<String, String> thread = new HashMap<>();
        thread.put("A", "B");
        thread.put("C", "A");
        thread.put("D", "C");

        assertThat(ThreadDag.wouldCreateCycle(thread, "B", "D")).isTrue();
    }

    @Test
    void rootsRepliesAndMissingParentsCloseNoCycle() {
        Map<String, String> thread = new HashMap<>();
        thread.put("R", null);
        thread.put("A", "R");
        thread.put("O", "elsewhere");

        assertThat(ThreadDag.wouldCreateCycle(thread, "N", null)).isFalse();
        assertThat(ThreadDag.wouldCreateCycle(thread, "N", "A")).isFalse();
        assertThat(ThreadDag.wouldCreateCycle(thread, "N", "O")).isFalse();
        assertThat(ThreadDag.wouldCreateCycle(thread, "N", "not-yet-arrived")).isFalse();
    }

    @Test
    void addingToAThreadThatAlreadyLoopsIsRefused() {
        Map<String, String> thread = new HashMap<>();
        thread.put("X", "Y");
        thread.put("Y", "X");

        assertThat(ThreadDag.wouldCreateCycle(thread, "N", "X")).isTrue();
    }

    @Test
    void findsACycleClosedAtTheEndOfAHundredThousandEnvelopeChain() {
        Map<String, String> thread = new HashMap<>();
        thread.put("e0", "late");
        for (int i = 1; i < 100_000; i++) {
            thread.put("e" + i, "e" + (i - 1));
        }

        assertThat(ThreadDag.wouldCreateCycle(thread, "late", "e99999")).isTrue();
        assertThat(ThreadDag.wouldCreateCycle(thread, "new", "e99999")).isFalse();
    }

    // ---------------------------------------------------------------------------------------------------------

    static DagNode node(String id, String parentId, String createdAt) {
        return DagNode.of(id, parentId, createdAt);
    }

    static String at(long millisAfterT0) {
        return Timestamps.format(T0.plusMillis(millisAfterT0));
    }

    static List<String> ids(List<DagNode> nodes) {
        return nodes.stream().map(DagNode::id).toList();
    }

    /** A thread where every parent is an earlier envelope, a missing one, or none, in shuffled order. */
    static List<DagNode> randomThread(int size, SplittableRandom random) {
        List<DagNode> nodes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String parent = null;
            int kind = random.nextInt(10);
            if (kind < 7 && i > 0) {
                parent = "env_" + String.format("%06d", random.nextInt(i));
            } else if (kind == 7) {
                parent = "env_missing_" + i;
            }
            nodes.add(node("env_" + String.format("%06d", i), parent, at(random.nextInt(size))));
        }
        Collections.shuffle(nodes, new Random(random.nextLong()));
        return nodes;
    }
}
