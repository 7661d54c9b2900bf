package org.loom.service.messaging;

import javax.sql.DataSource;
import org.loom.service.audit.AuditTrail;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Gives every service with a database the outbox and processed-message tables ({@link OutboxEvents},
 * {@link ProcessedMessages}) and the audit trail, without the service naming this package.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration"})
@ConditionalOnClass(JdbcClient.class)
@ConditionalOnBean(DataSource.class)
@Import({ProcessedMessages.class, OutboxEvents.class, AuditTrail.class})
public class MessagingAutoConfiguration {

    @Bean
    OutboxEventRepository outboxEventRepository(DataSource dataSource) {
        return new OutboxEventRepository(JdbcClient.create(dataSource));
    }

    @Bean
    ProcessedMessageRepository processedMessageRepository(DataSource dataSource) {
        return new ProcessedMessageRepository(JdbcClient.create(dataSource));
    }
}
