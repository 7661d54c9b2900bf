package org.loom.envelope.ingest;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;

/**
 * The command consumers: Boot's Kafka settings, offsets committed once per polled batch, and retries with backoff for
 * failures that are not protocol refusals.
 *
 * <p>Committing per batch rather than per record is safe because every command's effect and its processed-message row
 * commit in one database transaction: a crash before the batch's commit redelivers commands that are then recognised
 * and skipped. A commit per record cost a broker round trip and an offsets-log append for every envelope, for no
 * stronger guarantee.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({IngestSettings.class, NodeSettings.class})
class CommandListenerConfiguration {

    static final String CONTAINER_FACTORY = "envelopeCommandContainerFactory";

    @Bean(CONTAINER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> envelopeCommandContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers,
            IngestSettings settings, @Lazy EnvelopeCommandListener listener) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumers);
        factory.setConcurrency(settings.commandConsumers());
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(settings.commandAttempts() - 1);
        backOff.setInitialInterval(settings.commandRetryBackoffMs());
        backOff.setMultiplier(2.0);
        backOff.setMaxInterval(settings.commandRetryMaxBackoffMs());
        factory.setCommonErrorHandler(new DefaultErrorHandler(listener::giveUp, backOff));
        return factory;
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
