package org.loom.service.messaging;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Fetch settings for consumers on a client's request path.
 *
 * <p>The services' consumers by default let the broker gather records for a short while before answering a fetch
 * ({@code spring.kafka.consumer.fetch-min-size} and {@code fetch-max-wait} in each {@code application.yml}): a
 * consumer of events, audit records or identity changes then costs the broker one fetch per interval instead of one
 * per record, which at a few hundred envelopes a second is most of the broker's work. A consumer a waiting client
 * depends on — the envelope commands and the command results — must not wait for company, so it asks to be answered
 * as soon as one record is there.
 */
public final class ConsumerFetch {

    private static final Map<String, String> IMMEDIATE = Map.of(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");

    private ConsumerFetch() {
    }

    /** Consumer settings that answer a fetch as soon as one record is available, as a map of client settings. */
    public static Map<String, Object> immediate() {
        return Map.copyOf(IMMEDIATE);
    }

    /** {@link #immediate()} as the {@link Properties} a listener container takes as overrides. */
    public static Properties immediateProperties() {
        Properties properties = new Properties();
        properties.putAll(IMMEDIATE);
        return properties;
    }
}
