package org.loom.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class WorkloadPlanTest {

    private static final int IDENTITIES = 10;

    @Test
    void everyReplyFollowsItsParentInTheSameThreadAndOnlyParticipantsSend() {
        WorkloadPlan plan = WorkloadPlan.ingest(1_000, ShapeMix.parse("new:40,deep:30,wide:30"), 20, 50, 2,
                IDENTITIES, new Random(7));

        assertThat(plan.size()).isEqualTo(1_000);
        Map<String, PlannedEnvelope> seen = new HashMap<>();
        Map<String, Set<Integer>> participants = new HashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            PlannedEnvelope envelope = plan.envelopes().get(i);
            assertThat(envelope.sequence()).isEqualTo(i);
            if (envelope.root()) {
                assertThat(participants).doesNotContainKey(envelope.threadId());
                Set<Integer> members = new HashSet<>(envelope.recipients());
                members.add(envelope.sender());
                participants.put(envelope.threadId(), members);
            } else {
                PlannedEnvelope parent = seen.get(envelope.parentId());
                assertThat(parent).as("parent submitted before %s", envelope.id()).isNotNull();
                assertThat(parent.threadId()).isEqualTo(envelope.threadId());
                assertThat(participants.get(envelope.threadId())).contains(envelope.sender())
                        .containsAll(envelope.recipients());
            }
            assertThat(envelope.recipients()).doesNotContain(envelope.sender());
            seen.put(envelope.id(), envelope);
        }
    }

    @Test
    void eachShapeHasItsParentPattern() {
        WorkloadPlan plan = WorkloadPlan.ingest(300, ShapeMix.parse("new:20,deep:40,wide:40"), 10, 9, 1,
                IDENTITIES, new Random(3));

        for (List<PlannedEnvelope> thread : plan.threads().values()) {
            PlannedEnvelope root = thread.get(0);
            assertThat(root.root()).isTrue();
            assertThat(thread.subList(1, thread.size())).allSatisfy(reply -> assertThat(reply.root()).isFalse());
            switch (root.shape()) {
                case NEW -> assertThat(thread).hasSize(1);
                case DEEP -> {
                    assertThat(thread).hasSizeLessThanOrEqualTo(10);
                    for (int i = 1; i < thread.size(); i++) {
                        assertThat(thread.get(i).parentId()).isEqualTo(thread.get(i - 1).id());
                    }
                }
                case WIDE -> {
                    assertThat(thread).hasSizeLessThanOrEqualTo(10);
                    assertThat(thread.subList(1, thread.size()))
                            .allSatisfy(reply -> assertThat(reply.parentId()).isEqualTo(root.id()));
                }
                case LONG -> throw new AssertionError("no long threads in an ingest plan");
            }
        }
        Map<ThreadShape, Integer> envelopesByShape = new HashMap<>();
        plan.envelopes().forEach(envelope -> envelopesByShape.merge(envelope.shape(), 1, Integer::sum));
        assertThat(envelopesByShape).containsEntry(ThreadShape.NEW, 60).containsEntry(ThreadShape.DEEP, 120)
                .containsEntry(ThreadShape.WIDE, 120);
    }

    @Test
    void threadsAreInterleavedRatherThanSentOneAfterAnother() {
        WorkloadPlan plan = WorkloadPlan.ingest(200, ShapeMix.parse("deep:100"), 20, 1, 1, IDENTITIES,
                new Random(1));

        List<PlannedEnvelope> firstTwenty = plan.envelopes().subList(0, 20);
        assertThat(firstTwenty.stream().map(PlannedEnvelope::threadId).distinct().count()).isEqualTo(10);
    }

    @Test
    void aLongThreadRepliesToRecentEnvelopesOnly() {
        WorkloadPlan plan = WorkloadPlan.longThread(500, 3, IDENTITIES, new Random(11));

        assertThat(plan.threads()).hasSize(1);
        Map<String, Integer> position = new HashMap<>();
        for (PlannedEnvelope envelope : plan.envelopes()) {
            if (!envelope.root()) {
                int parentPosition = position.get(envelope.parentId());
                assertThat(envelope.sequence() - parentPosition).isBetween(1, WorkloadPlan.RECENT_PARENTS);
            }
            position.put(envelope.id(), envelope.sequence());
        }
        assertThat(plan.envelopes().stream().filter(PlannedEnvelope::root)).hasSize(1);
    }

    @Test
    void sharesSplitTheTotalExactly() {
        assertThat(WorkloadPlan.split(101, ShapeMix.parse("new:40,deep:30,wide:30")))
                .containsEntry(ThreadShape.NEW, 41).containsEntry(ThreadShape.DEEP, 30)
                .containsEntry(ThreadShape.WIDE, 30);
        assertThat(WorkloadPlan.split(7, ShapeMix.parse("wide:100"))).containsEntry(ThreadShape.WIDE, 7)
                .containsEntry(ThreadShape.NEW, 0);
    }

    @Test
    void repliesToListsEveryChildOfAnEnvelope() {
        WorkloadPlan plan = WorkloadPlan.ingest(21, ShapeMix.parse("wide:100"), 5, 20, 2, IDENTITIES,
                new Random(5));

        PlannedEnvelope root = plan.envelopes().get(0);
        assertThat(plan.repliesTo(root)).hasSize(20)
                .allSatisfy(reply -> assertThat(reply.parentId()).isEqualTo(root.id()));
    }
}
