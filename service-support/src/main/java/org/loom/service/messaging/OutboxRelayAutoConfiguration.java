package org.loom.service.messaging;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the {@link OutboxRelay} in every service that has both the messaging tables (a data source and a transaction
 * manager) and a Kafka producer, so no service has to remember to publish its outbox.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"})
@ConditionalOnBean({KafkaTemplate.class, DataSource.class, PlatformTransactionManager.class})
@EnableConfigurationProperties(OutboxSettings.class)
public class OutboxRelayAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    OutboxRelay outboxRelay(KafkaTemplate<String, String> kafka, DataSource dataSource,
            PlatformTransactionManager transactionManager, OutboxSettings settings,
            @Value("${spring.application.name:application}") String origin) {
        // The service's producer settings (brokers, acks, idempotence), in a producer the relay alone uses.
        Map<String, Object> config = new HashMap<>(kafka.getProducerFactory().getConfigurationProperties());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, origin + "-outbox-relay");
        DefaultKafkaProducerFactory<String, String> producers =
                new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new StringSerializer());
        return new OutboxRelay(producers, new JdbcTemplate(dataSource), new TransactionTemplate(transactionManager),
                settings, origin, Clock.systemUTC());
    }
}
