package org.loom.system;

import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands test classes one {@link SplitNode} for the whole test run: five JVMs take most of a minute to start on two
 * cores, so classes share them, and JUnit stops them when the run ends. Tests that kill a service restart it before
 * they finish.
 */
final class SharedSplitNode implements ParameterResolver {

    /** The admin token every split node in these tests is started with (the node registry needs it). */
    static final String ADMIN_TOKEN = "split-admin-" + System.nanoTime();

    /**
     * Where the email-bridge relays mail: a port chosen now, on which a test that sends email starts its SMTP server
     * (GreenMail). Until one does, attempts fail and are retried, as with any relay that is down.
     */
    static final int SMTP_PORT = ChildJvm.freePort();

    /**
     * Production timers shortened for tests (consumer group membership after a crash, decision wait, outbox backoffs
     * and leases, so work a killed service held is taken over in seconds) and small connection pools: one PostgreSQL
     * server serves every test.
     */
    static final Map<String, String> TEST_OVERRIDES = Map.ofEntries(
            Map.entry("SPRING_KAFKA_CONSUMER_PROPERTIES_SESSION_TIMEOUT_MS", "6000"),
            Map.entry("SPRING_KAFKA_CONSUMER_PROPERTIES_HEARTBEAT_INTERVAL_MS", "1000"),
            Map.entry("SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE", "4"),
            Map.entry("SPRING_DATASOURCE_HIKARI_MINIMUM_IDLE", "0"),
            Map.entry("LOOM_DECISION_TIMEOUT_MS", "4000"),
            Map.entry("LOOM_DECISION_RETRY_AFTER_MS", "200"),
            Map.entry("LOOM_IDEMPOTENCY_RETRY_AFTER_MS", "200"),
            Map.entry("LOOM_RATE_LIMIT_DEFAULT_MAX", "0"),
            Map.entry("LOOM_RATE_LIMIT_SENSITIVE_MAX", "0"),
            Map.entry("LOOM_ADMIN_TOKEN", ADMIN_TOKEN),
            // Peers in these tests are other split nodes on loopback.
            Map.entry("LOOM_OUTBOUND_ALLOW_PRIVATE", "true"),
            // Webhook receivers in these tests listen on loopback.
            Map.entry("LOOM_OUTBOUND_ALLOW_PRIVATE_CIDRS", "127.0.0.0/8"),
            Map.entry("LOOM_SMTP_HOST", "127.0.0.1"),
            Map.entry("LOOM_SMTP_PORT", String.valueOf(SMTP_PORT)),
            Map.entry("LOOM_SMTP_DEFAULT_FROM", "node@split.test"),
            Map.entry("LOOM_SMTP_TIMEOUT_MS", "5000"),
            // Outboxes: look for due work often, retry within seconds, and take over a dead replica's items in 20 s.
            // An attempt may take 15 s: on two cores a service that has just restarted is slow, and an attempt that
            // times out after its destination accepted is made again (a second email), so the relay's own timeout
            // (LOOM_SMTP_TIMEOUT_MS) stays well below it.
            Map.entry("LOOM_OUTBOX_AUTO_PROCESS_INTERVAL_MS", "500"),
            Map.entry("LOOM_FEDERATION_OUTBOX_BASE_BACKOFF_MS", "300"),
            Map.entry("LOOM_FEDERATION_OUTBOX_MAX_BACKOFF_MS", "4000"),
            Map.entry("LOOM_FEDERATION_OUTBOX_JITTER_RATIO", "0"),
            Map.entry("LOOM_FEDERATION_OUTBOX_MAX_ATTEMPTS", "20"),
            Map.entry("LOOM_FEDERATION_OUTBOX_ATTEMPT_TIMEOUT_MS", "15000"),
            Map.entry("LOOM_FEDERATION_OUTBOX_LEASE_MS", "20000"),
            Map.entry("LOOM_WEBHOOK_OUTBOX_AUTO_PROCESS_INTERVAL_MS", "500"),
            Map.entry("LOOM_WEBHOOK_OUTBOX_BASE_BACKOFF_MS", "300"),
            Map.entry("LOOM_WEBHOOK_OUTBOX_MAX_BACKOFF_MS", "4000"),
            Map.entry("LOOM_WEBHOOK_OUTBOX_JITTER_RATIO", "0"),
            Map.entry("LOOM_WEBHOOK_OUTBOX_ATTEMPT_TIMEOUT_MS", "15000"),
            Map.entry("LOOM_WEBHOOK_OUTBOX_LEASE_MS", "20000"),
            Map.entry("LOOM_EMAIL_OUTBOX_AUTO_PROCESS_INTERVAL_MS", "500"),
            Map.entry("LOOM_EMAIL_OUTBOX_BASE_BACKOFF_MS", "300"),
            Map.entry("LOOM_EMAIL_OUTBOX_MAX_BACKOFF_MS", "4000"),
            Map.entry("LOOM_EMAIL_OUTBOX_JITTER_RATIO", "0"),
            Map.entry("LOOM_EMAIL_OUTBOX_MAX_ATTEMPTS", "20"),
            Map.entry("LOOM_EMAIL_OUTBOX_ATTEMPT_TIMEOUT_MS", "15000"),
            Map.entry("LOOM_EMAIL_OUTBOX_LEASE_MS", "20000"));

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == SplitNode.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return extension.getRoot().getStore(ExtensionContext.Namespace.create(SharedSplitNode.class))
                .computeIfAbsent(Startup.class, key -> Startup.attempt(), Startup.class).node();
    }

    /** One start attempt per run: when it fails, every later test reports that failure instead of trying again. */
    private record Startup(SplitNode started, RuntimeException failure) implements AutoCloseable {

        static Startup attempt() {
            try {
                return new Startup(SplitNode.start(TEST_OVERRIDES), null);
            } catch (RuntimeException | AssertionError e) {
                return new Startup(null, new IllegalStateException("the split node did not start", e));
            }
        }

        SplitNode node() {
            if (failure != null) {
                throw failure;
            }
            return started;
        }

        @Override
        public void close() {
            if (started != null) {
                started.close();
            }
        }
    }
}
