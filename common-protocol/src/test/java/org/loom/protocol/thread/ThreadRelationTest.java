package org.loom.protocol.thread;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThreadRelationTest {

    @Test
    void everyLinkableRelationReadsBackFromTheOtherThread() {
        for (ThreadRelation relation : ThreadRelation.values()) {
            if (relation.linkable()) {
                assertThat(relation.inverse().inverse()).as(relation.wireName()).isEqualTo(relation);
            }
        }
        assertThat(ThreadRelation.BLOCKS.inverse()).isEqualTo(ThreadRelation.BLOCKED_BY);
        assertThat(ThreadRelation.PARENT.inverse()).isEqualTo(ThreadRelation.CHILD);
    }

    @Test
    void mergedFromIsMadeOnlyByMerges() {
        assertThat(ThreadRelation.MERGED_FROM.linkable()).isFalse();
        assertThat(ThreadRelation.fromWire("merged_from")).contains(ThreadRelation.MERGED_FROM);
        assertThat(ThreadRelation.fromWire("Related")).isEmpty();
    }
}
