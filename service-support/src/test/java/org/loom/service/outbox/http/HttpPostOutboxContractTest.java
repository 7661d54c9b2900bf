package org.loom.service.outbox.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.service.outbox.HttpReceiver;
import org.loom.service.outbox.NewOutboxItem;
import org.loom.service.outbox.Outbox;
import org.loom.service.outbox.OutboxContract;
import org.loom.service.outbox.OutboxDestination;
import org.loom.service.outbox.OutboxItem;
import org.loom.service.outbox.OutboxStatus;
import org.loom.testsupport.LoomTestProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The outbox contract for plain HTTP POST items, against a real HTTP receiver, PostgreSQL and the broker. */
@SpringBootTest(classes = HttpPostOutboxApplication.class, properties = {
        "spring.application.name=outbox-contract",
        "spring.flyway.locations=classpath:db/migration/outboxtest",
        "spring.jpa.hibernate.ddl-auto=validate",
        "spring.jpa.open-in-view=false",
        "loom.outbox.relay-interval-ms=100",
        "loom.test.outbox.auto-process-interval-ms=0",
        "loom.test.outbox.base-backoff-ms=500",
        "loom.test.outbox.max-backoff-ms=2000",
        "loom.test.outbox.jitter-ratio=0.5",
        "loom.test.outbox.parallelism=4",
        "loom.test.outbox.attempt-timeout-ms=4000",
        "loom.test.outbox.lease-ms=12000"})
class HttpPostOutboxContractTest extends OutboxContract {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LoomTestProperties.register(registry, "outbox-contract");
    }

    @Autowired
    private Outbox outbox;

    @Autowired
    private PlatformTransactionManager transactionManager;

    /*
     * Gathering is a feature of the component, not part of every kind's contract: a kind that queues items due later
     * may add to them until they fall due. Shown here on the plain kind.
     */

    @Test
    void anItemDueLaterIsNotAttemptedBeforeThenAndTakesAdditionsUntilItIsDue() {
        try (HttpReceiver receiver = HttpReceiver.start("/", HttpPostOutboxApplication.ITEM_HEADER)) {
            String url = receiver.url("/hook").toString();
            String id = LoomIds.next(IdPrefix.WEBHOOK_OUTBOX);
            Instant due = Instant.now().plusSeconds(2);
            outbox.enqueue(new NewOutboxItem(id, url, LoomJson.mapper().createObjectNode().put("url", url), null,
                    null, due));

            assertThat(outbox.processDue(50)).extracting(OutboxItem::id).doesNotContain(id);
            String locked = transactions().execute(status -> {
                OutboxItem gathering = outbox.lockGathering(url).orElseThrow();
                outbox.amend(gathering.id(), gathering.fields().deepCopy().put("added", "later"));
                return gathering.id();
            });
            assertThat(locked).isEqualTo(id);
            assertThat(outbox.find(id).orElseThrow().field("added")).isEqualTo("later");

            // Automatic processing is off in this context: the suite works due items itself.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> outbox.processDue(50).stream().anyMatch(item -> item.id().equals(id)));
            assertThat(outbox.find(id).orElseThrow().status()).isEqualTo(OutboxStatus.DELIVERED);
            assertThat(receiver.taken(id)).isEqualTo(1);
            assertThat(gathering(url)).isEmpty();
        }
    }

    @Test
    void anItemDueAtOnceIsNeverGathered() {
        try (HttpReceiver receiver = HttpReceiver.start("/", HttpPostOutboxApplication.ITEM_HEADER)) {
            receiver.hang();
            String url = receiver.url("/hook").toString();
            outbox.enqueue(new NewOutboxItem(LoomIds.next(IdPrefix.WEBHOOK_OUTBOX), url,
                    LoomJson.mapper().createObjectNode().put("url", url), null, null));

            assertThat(gathering(url)).isEmpty();
            assertThatThrownBy(() -> outbox.lockGathering(url)).as("outside a transaction")
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    private Optional<OutboxItem> gathering(String destination) {
        return transactions().execute(status -> outbox.lockGathering(destination));
    }

    private TransactionTemplate transactions() {
        return new TransactionTemplate(transactionManager);
    }

    @Override
    protected Outbox outbox() {
        return outbox;
    }

    @Override
    protected OutboxDestination newDestination() {
        return HttpReceiver.start("/", HttpPostOutboxApplication.ITEM_HEADER);
    }

    @Override
    protected String enqueue(OutboxDestination destination, Integer maxAttempts, Instant expiresAt) {
        String url = ((HttpReceiver) destination).url("/hook").toString();
        String id = LoomIds.next(IdPrefix.WEBHOOK_OUTBOX);
        outbox.enqueue(new NewOutboxItem(id, url, LoomJson.mapper().createObjectNode().put("url", url), maxAttempts,
                expiresAt));
        return id;
    }
}
