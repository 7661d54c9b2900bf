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
 * The command consumers: Boot's Kafka settings, plus an offset commit after every record (the record's transaction has
 * committed by then) and retries with backoff for failures that are not protocol refusals.
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
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
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
