package org.loom.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.loom.testsupport.LoomTestProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The delivery-worker as it runs, with automatic webhook processing on and short timers, against the shared broker,
 * a fresh PostgreSQL schema, and receivers on loopback (allowed for outbound requests here only). The federation-service
 * and the email-bridge are not running: their URLs name a loopback port nobody listens on.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "loom.outbound.allow-private-cidrs=127.0.0.0/8",
        "loom.outbox.relay-interval-ms=100",
        "loom.webhook.outbox.auto-process-interval-ms=200",
        "loom.webhook.outbox.base-backoff-ms=300",
        "loom.webhook.outbox.max-backoff-ms=1500",
        "loom.webhook.outbox.jitter-ratio=0.2",
        "loom.webhook.outbox.parallelism=4",
        "loom.webhook.outbox.attempt-timeout-ms=3000",
        "loom.webhook.outbox.lease-ms=12000"})
public abstract class RunningDeliveryWorker {

    /** A loopback port with nothing listening on it, where the owners of federation and email items "are". */
    public static final int UNREACHABLE_PORT = unusedPort();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LoomTestProperties.register(registry, "delivery-worker");
        registry.add("loom.node.id", () -> TestNodeKey.NODE_ID);
        registry.add("loom.node.signing-private-key-pem", TestNodeKey.KEY::toPkcs8Pem);
        registry.add("loom.node.signing-key-id", () -> TestNodeKey.KEY_ID);
        registry.add("loom.internal.federation-service-url", () -> "http://127.0.0.1:" + UNREACHABLE_PORT);
        registry.add("loom.internal.email-bridge-url", () -> "http://127.0.0.1:" + UNREACHABLE_PORT);
        registry.add("loom.internal.connect-timeout", () -> "1s");
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
