package org.loom.service.operations;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The status report route in every web service, and the outbox depth where the service has the messaging tables. */
@AutoConfiguration(afterName = {"org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
        "org.loom.service.messaging.MessagingAutoConfiguration"})
@ConditionalOnWebApplication
@Import(ServiceStatusController.class)
public class OperationsAutoConfiguration {

    @Bean
    @ConditionalOnBean({JdbcClient.class, org.loom.service.messaging.OutboxEvents.class})
    EventOutboxStatus eventOutboxStatus(JdbcClient jdbc) {
        return new EventOutboxStatus(jdbc);
    }
}
