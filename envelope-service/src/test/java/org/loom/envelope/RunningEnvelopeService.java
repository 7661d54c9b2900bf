package org.loom.envelope;

import org.loom.envelope.messaging.RecordingListener;
import org.loom.testsupport.LoomTestProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The envelope-service as it runs, on a random port, against the shared test broker and a fresh PostgreSQL schema.
 * Test classes extending this share one application context. Retry and relay timers are shortened so tests that
 * provoke failures finish quickly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(RecordingListener.Configuration.class)
public abstract class RunningEnvelopeService {

    /** The node id the test context runs with. */
    public static final String NODE_ID = "node.test.local";

    /** Where the test context's filesystem blob store writes; small blob limits keep the size tests cheap. */
    public static final java.nio.file.Path BLOB_DIRECTORY = temporaryDirectory();

    @DynamicPropertySource
    static void testInfrastructure(DynamicPropertyRegistry registry) {
        LoomTestProperties.register(registry, "envelope-service");
        registry.add("loom.node.id", () -> NODE_ID);
        registry.add("loom.outbox.relay-interval-ms", () -> "100");
        registry.add("loom.outbox.max-backoff-ms", () -> "400");
        registry.add("loom.outbox.send-timeout-ms", () -> "10000");
        registry.add("loom.envelope.command-retry-backoff-ms", () -> "50");
        registry.add("loom.envelope.command-retry-max-backoff-ms", () -> "100");
        registry.add("loom.blobs.directory", () -> BLOB_DIRECTORY.toString());
        registry.add("loom.blobs.max-bytes", () -> "4096");
    }

    private static java.nio.file.Path temporaryDirectory() {
        try {
            java.nio.file.Path directory = java.nio.file.Files.createTempDirectory("loom-blobs-");
            directory.toFile().deleteOnExit();
            return directory;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
