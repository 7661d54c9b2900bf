package org.loom.envelope;

import org.loom.envelope.messaging.RecordingListener;
import org.loom.testsupport.LoomTestProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The envelope-service as it runs, on a random port, against the shared test broker and a fresh PostgreSQL schema.
 * Test classes extending this share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(RecordingListener.Configuration.class)
public abstract class RunningEnvelopeService {

    @DynamicPropertySource
    static void testInfrastructure(DynamicPropertyRegistry registry) {
        LoomTestProperties.register(registry, "envelope-service");
    }
}
