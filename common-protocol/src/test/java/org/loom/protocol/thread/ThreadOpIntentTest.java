package org.loom.protocol.thread;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ThreadOpIntentTest {

    @ParameterizedTest
    @CsvSource({
            "thread.add_participant@v1, ADD_PARTICIPANT, add_participant",
            "thread.remove_participant@v1, REMOVE_PARTICIPANT, remove_participant",
            "thread.update@v1, UPDATE, label",
            "thread.resolve@v1, RESOLVE, resolve",
            "thread.archive@v1, ARCHIVE, archive",
            "thread.lock@v1, LOCK, lock",
            "thread.reopen@v1, REOPEN, admin",
            "thread.delegate@v1, DELEGATE, delegate",
            "thread.fork@v1, FORK, fork",
            "thread.merge@v1, MERGE, merge",
            "thread.link@v1, LINK, forward",
            "capability.revoked@v1, CAPABILITY_REVOKED, admin",
            "capability.spent@v1, CAPABILITY_SPENT, admin",
            "delegation.revoked@v1, DELEGATION_REVOKED, admin",
            "encryption.epoch@v1, ENCRYPTION_EPOCH, admin",
            "encryption.rotate@v1, ENCRYPTION_ROTATE, admin"})
    void eachIntentNeedsItsGrant(String wireName, ThreadOpIntent intent, String grant) {
        assertThat(ThreadOpIntent.fromWire(wireName)).contains(intent);
        assertThat(intent.wireName()).isEqualTo(wireName);
        assertThat(intent.requiredGrant()).isEqualTo(grant);
        assertThat(ThreadOpIntent.requiredGrant(wireName)).isEqualTo(grant);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"thread.fork@v2", "thread.resolve", "Thread.resolve@v1", "thread.rename@v1",
            "message.general@v1"})
    void unknownIntentsNeedTheAdminGrant(String intent) {
        assertThat(ThreadOpIntent.fromWire(intent)).isEmpty();
        assertThat(ThreadOpIntent.requiredGrant(intent)).isEqualTo("admin");
    }
}
