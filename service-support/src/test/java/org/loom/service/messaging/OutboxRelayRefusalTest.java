package org.loom.service.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaProducerException;

/** Which broker failures park an outbox event and which are retried in order. */
class OutboxRelayRefusalTest {

    @Test
    void aRecordTooLargeForItsTopicIsARefusalOfTheRecordEvenWhenWrapped() {
        RecordTooLargeException tooLarge = new RecordTooLargeException("too large");
        assertThat(OutboxRelay.refusesTheRecord(tooLarge)).isTrue();
        assertThat(OutboxRelay.refusesTheRecord(new KafkaProducerException(null, "send failed", tooLarge))).isTrue();
    }

    @Test
    void outagesTimeoutsAuthorisationAndProducerStateAreRetried() {
        assertThat(OutboxRelay.refusesTheRecord(new NotLeaderOrFollowerException("moving"))).isFalse();
        assertThat(OutboxRelay.refusesTheRecord(new TimeoutException("no answer"))).isFalse();
        assertThat(OutboxRelay.refusesTheRecord(new org.apache.kafka.common.errors.TimeoutException("expired")))
                .isFalse();
        assertThat(OutboxRelay.refusesTheRecord(new TopicAuthorizationException("no ACL"))).isFalse();
        assertThat(OutboxRelay.refusesTheRecord(new OutOfOrderSequenceException("gap"))).isFalse();
        assertThat(OutboxRelay.refusesTheRecord(new IllegalStateException("producer closed"))).isFalse();
    }
}
