package org.loom.envelope;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * A test class that talks to the running envelope-service through one {@link CommandChannel} for the whole class, and
 * looks at its tables directly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CommandChannelTest extends RunningEnvelopeService {

    @Autowired
    protected KafkaTemplate<String, String> kafka;

    @Autowired
    protected JdbcTemplate jdbc;

    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    protected final TestEnvelopes envelopes = new TestEnvelopes();
    protected CommandChannel channel;

    @BeforeAll
    void openChannel() {
        channel = new CommandChannel(kafka, bootstrapServers);
    }

    @AfterAll
    void closeChannel() {
        channel.close();
    }
}
