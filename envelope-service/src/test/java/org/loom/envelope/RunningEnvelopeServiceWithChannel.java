package org.loom.envelope;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * {@link RunningEnvelopeService} with a {@link CommandChannel} opened for each test, for tests that submit envelopes
 * the way the gateway does. Same configuration, so the same cached application context.
 */
public abstract class RunningEnvelopeServiceWithChannel extends RunningEnvelopeService {

    @Autowired
    private KafkaTemplate<String, String> kafka;

    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    /** The channel of the running test. */
    protected CommandChannel channel;

    @BeforeEach
    void openChannel() {
        channel = new CommandChannel(kafka, bootstrapServers);
    }

    @AfterEach
    void closeChannel() {
        channel.close();
    }
}
