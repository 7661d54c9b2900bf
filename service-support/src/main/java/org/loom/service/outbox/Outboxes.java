package org.loom.service.outbox;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.loom.service.messaging.OutboxEvents;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds the {@link Outbox} of a kind, with its {@link OutboxPolicy} bound from the kind's settings prefix. A service
 * declares its outbox as a bean, so Spring starts and stops its worker:
 *
 * <pre>{@code
 * @Bean
 * Outbox webhookOutbox(Outboxes outboxes, WebhookDeliverer deliverer) {
 *     return outboxes.create(DeadLetter.KIND_WEBHOOK, "loom.webhook.outbox", deliverer);
 * }
 * }</pre>
 */
public class Outboxes {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final OutboxEvents events;
    private final Environment environment;
    private final Clock clock;
    private final List<String> kinds = new CopyOnWriteArrayList<>();

    public Outboxes(JdbcTemplate jdbc, TransactionTemplate transactions, OutboxEvents events,
            Environment environment, Clock clock) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.events = Objects.requireNonNull(events, "events");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The outbox of {@code kind}, its policy bound from {@code settingsPrefix} (defaults where unset). */
    public Outbox create(String kind, String settingsPrefix, OutboxHandler handler) {
        return create(kind, policy(settingsPrefix), handler);
    }

    /** The outbox of {@code kind} with an explicit policy. */
    public Outbox create(String kind, OutboxPolicy policy, OutboxHandler handler) {
        if (!kinds.contains(kind)) {
            kinds.add(kind);
        }
        return new Outbox(kind, policy, handler, jdbc, transactions, events, clock);
    }

    /** The kinds of the outboxes this service declared, in the order they were created. */
    public List<String> kinds() {
        return List.copyOf(kinds);
    }

    /** The policy bound from {@code settingsPrefix}, e.g. {@code loom.webhook.outbox}. */
    public OutboxPolicy policy(String settingsPrefix) {
        return Binder.get(environment).bindOrCreate(settingsPrefix, OutboxPolicy.class);
    }
}
