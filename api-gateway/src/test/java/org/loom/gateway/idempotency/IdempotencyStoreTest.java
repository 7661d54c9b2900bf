package org.loom.gateway.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loom.gateway.envelope.RunningGatewayWithResponder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The idempotency table in the gateway's real PostgreSQL schema, with a clock the test moves. */
class IdempotencyStoreTest extends RunningGatewayWithResponder {

    @Autowired
    private DataSource dataSource;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2031-05-01T10:00:00Z"));
    private IdempotencyStore store;
    private String scope;

    @BeforeEach
    void storeWithAMovableClock() {
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        store = new IdempotencyStore(dataSource,
                new IdempotencySettings(Duration.ofMinutes(10), 100, Duration.ofSeconds(60), Duration.ofMinutes(2),
                        Duration.ofMinutes(1), Duration.ofSeconds(1)), clock);
        scope = "actor:loom://store-" + UUID.randomUUID() + "@node.test:POST:/v1/envelopes";
    }

    @Test
    void firstClaimIsGrantedAndASecondSeesItInProgress() {
        Claim first = store.claim(scope, "k", "hash-a");
        Claim second = store.claim(scope, "k", "hash-a");

        assertThat(first).isInstanceOf(Claim.Granted.class);
        assertThat(second).isEqualTo(new Claim.InProgress(java.util.Optional.empty()));
    }

    @Test
    void completedClaimIsReplayedToTheSameRequestAndConflictsWithAnother() {
        long id = ((Claim.Granted) store.claim(scope, "k", "hash-a")).recordId();
        assertThat(store.complete(id, new StoredResponse(201, "{\"ok\":true}"))).isTrue();

        assertThat(store.claim(scope, "k", "hash-a")).isEqualTo(new Claim.Replay(new StoredResponse(201, "{\"ok\":true}")));
        assertThat(store.claim(scope, "k", "hash-b")).isEqualTo(new Claim.Conflict());
        assertThat(store.complete(id, new StoredResponse(500, "{}"))).as("settled records stay settled").isFalse();
    }

    @Test
    void lateResultCompletesTheClaimThroughItsCorrelationId() {
        long id = ((Claim.Granted) store.claim(scope, "k", "hash-a")).recordId();
        store.attachCorrelation(id, "cor_late");

        assertThat(store.claim(scope, "k", "hash-a")).isEqualTo(new Claim.InProgress(java.util.Optional.of("cor_late")));
        assertThat(store.completeByCorrelation("cor_late", new StoredResponse(201, "{}"))).isTrue();
        assertThat(store.claim(scope, "k", "hash-a")).isEqualTo(new Claim.Replay(new StoredResponse(201, "{}")));
    }

    @Test
    void releasedClaimCanBeClaimedAgain() {
        long id = ((Claim.Granted) store.claim(scope, "k", "hash-a")).recordId();
        store.release(id);

        assertThat(store.claim(scope, "k", "hash-b")).isInstanceOf(Claim.Granted.class);
    }

    @Test
    void claimAbandonedBeforePublishingIsTakenOverOnceItIsOldEnough() {
        store.claim(scope, "k", "hash-a");

        now.set(now.get().plusSeconds(59));
        assertThat(store.claim(scope, "k", "hash-a")).isInstanceOf(Claim.InProgress.class);
        now.set(now.get().plusSeconds(2));
        assertThat(store.claim(scope, "k", "hash-a")).isInstanceOf(Claim.Granted.class);
    }

    @Test
    void claimWaitingForACommandIsNotTakenOverBeforeItExpires() {
        long id = ((Claim.Granted) store.claim(scope, "k", "hash-a")).recordId();
        store.attachCorrelation(id, "cor_" + UUID.randomUUID());

        now.set(now.get().plus(Duration.ofMinutes(9)));
        assertThat(store.claim(scope, "k", "hash-a")).isInstanceOf(Claim.InProgress.class);
        now.set(now.get().plus(Duration.ofMinutes(2)));
        assertThat(store.claim(scope, "k", "hash-a")).isInstanceOf(Claim.Granted.class);
    }

    @Test
    void resubmittableClaimWaitingForACommandThatNeverCameIsTakenOverAfterTheCommandWait() {
        long id = ((Claim.Granted) store.claim(scope, "k", "hash-a", true)).recordId();
        store.attachCorrelation(id, "cor_" + UUID.randomUUID());

        now.set(now.get().plus(Duration.ofSeconds(119)));
        assertThat(store.claim(scope, "k", "hash-a", true)).isInstanceOf(Claim.InProgress.class);
        now.set(now.get().plus(Duration.ofSeconds(2)));
        assertThat(store.claim(scope, "k", "hash-a", false)).as("a request whose command must not run twice")
                .isInstanceOf(Claim.InProgress.class);
        assertThat(store.claim(scope, "k", "hash-a", true)).isInstanceOf(Claim.Granted.class);
    }

    @Test
    void resubmittableClaimStillReplaysItsAnswerAndConflictsWithAnotherRequest() {
        long id = ((Claim.Granted) store.claim(scope, "k", "hash-a", true)).recordId();
        store.attachCorrelation(id, "cor_done");
        store.completeByCorrelation("cor_done", new StoredResponse(201, "{}"));
        now.set(now.get().plus(Duration.ofMinutes(5)));

        assertThat(store.claim(scope, "k", "hash-a", true)).isEqualTo(new Claim.Replay(new StoredResponse(201, "{}")));
        assertThat(store.claim(scope, "k", "hash-b", true)).isEqualTo(new Claim.Conflict());
    }

    @Test
    void sweepDeletesExpiredRecordsAndTheOldestBeyondTheMaximum() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.update("DELETE FROM idempotency_record");
        for (int i = 0; i < 105; i++) {
            long id = ((Claim.Granted) store.claim(scope, "key-" + i, "hash")).recordId();
            store.complete(id, new StoredResponse(201, "{}"));
            now.set(now.get().plusSeconds(1));
        }
        now.set(now.get().plus(Duration.ofMinutes(10)).minusSeconds(101));

        int deleted = store.sweep();

        // Records 0..4 expired (created more than ten minutes ago); of the 100 left, none is beyond the maximum.
        assertThat(deleted).isEqualTo(5);
        assertThat(store.find(scope, "key-4")).isEmpty();
        assertThat(store.find(scope, "key-5")).isPresent();
        for (int i = 0; i < 3; i++) {
            long id = ((Claim.Granted) store.claim(scope, "extra-" + i, "hash")).recordId();
            store.complete(id, new StoredResponse(201, "{}"));
        }

        assertThat(store.sweep()).isEqualTo(3);
        assertThat(store.find(scope, "key-7")).isEmpty();
        assertThat(store.find(scope, "key-8")).isPresent();
        assertThat(store.find(scope, "extra-2")).isPresent();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM idempotency_record", Long.class)).isEqualTo(100L);
    }
}
