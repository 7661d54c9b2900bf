package org.loom.gateway.web;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Ready when the Kafka cluster describes itself with at least one broker. One admin client is kept for the
 * gateway's lifetime rather than connecting afresh on every probe.
 */
final class KafkaReadinessCheck implements ReadinessCheck, AutoCloseable {

    private final Map<String, Object> adminConfig;
    private final int timeoutMs;
    private Admin admin;

    KafkaReadinessCheck(Map<String, Object> adminConfig, long timeoutMs) {
        this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeoutMs);
        Map<String, Object> config = new HashMap<>(adminConfig);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, this.timeoutMs);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, this.timeoutMs);
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "api-gateway-readiness");
        this.adminConfig = Map.copyOf(config);
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public boolean isReady() throws Exception {
        return !admin().describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                .nodes()
                .get(timeoutMs, TimeUnit.MILLISECONDS)
                .isEmpty();
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(adminConfig);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
