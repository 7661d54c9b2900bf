package org.loom.service.outbox;

import java.time.Clock;
import javax.sql.DataSource;
import org.loom.service.messaging.OutboxEvents;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Offers {@link Outboxes} to every service with a database, so each can declare the outbox of its kind. */
@AutoConfiguration(afterName = {
        "org.loom.service.messaging.MessagingAutoConfiguration",
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"})
@ConditionalOnBean({DataSource.class, PlatformTransactionManager.class, OutboxEvents.class})
public class OutboxAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Outboxes outboxes(DataSource dataSource, PlatformTransactionManager transactionManager, OutboxEvents events,
            Environment environment, ObjectProvider<Clock> clock) {
        return new Outboxes(new JdbcTemplate(dataSource), new TransactionTemplate(transactionManager), events,
                environment, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    @ConditionalOnMissingBean
    DeliveryOutboxStatus deliveryOutboxStatus(DataSource dataSource, Outboxes outboxes) {
        return new DeliveryOutboxStatus(new JdbcTemplate(dataSource), outboxes);
    }
}
