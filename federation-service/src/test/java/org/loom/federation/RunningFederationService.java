package org.loom.federation;

import java.util.UUID;
import org.loom.testsupport.LoomTestProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The federation-service as it runs, on a random port, against the shared test broker and a fresh PostgreSQL schema.
 * Test classes extending this share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class RunningFederationService {

    @DynamicPropertySource
    static void testInfrastructure(DynamicPropertyRegistry registry) {
        LoomTestProperties.register(registry, "federation-service");
        String replies = "federation-replies-test-" + UUID.randomUUID().toString().substring(0, 8);
        registry.add("loom.federation.reply-group-id", () -> replies);
        registry.add("loom.node.node-id", () -> "node.test.local");
        registry.add("loom.outbox.relay-interval-ms", () -> "100");
    }
}
