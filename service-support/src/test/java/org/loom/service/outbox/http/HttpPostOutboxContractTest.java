package org.loom.service.outbox.http;

import java.time.Instant;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.service.outbox.HttpReceiver;
import org.loom.service.outbox.NewOutboxItem;
import org.loom.service.outbox.Outbox;
import org.loom.service.outbox.OutboxContract;
import org.loom.service.outbox.OutboxDestination;
import org.loom.testsupport.LoomTestProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

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
        "loom.test.outbox.attempt-timeout-ms=2500",
        "loom.test.outbox.lease-ms=10000"})
class HttpPostOutboxContractTest extends OutboxContract {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LoomTestProperties.register(registry, "outbox-contract");
    }

    @Autowired
    private Outbox outbox;

    @Autowired
    private JdbcTemplate jdbc;

    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    @Override
    protected Outbox outbox() {
        return outbox;
    }

    @Override
    protected JdbcTemplate jdbc() {
        return jdbc;
    }

    @Override
    protected String bootstrapServers() {
        return bootstrapServers;
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
