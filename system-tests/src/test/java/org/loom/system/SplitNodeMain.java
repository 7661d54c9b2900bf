package org.loom.system;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.loom.testsupport.TestInfrastructure;

/**
 * A split node for measuring it (docs/benchmarks.md, scenario 2): the five services as separate JVMs, configured as
 * {@code docker-compose.yml} configures them, each on a schema of its own in the local PostgreSQL, all on a broker of
 * their own in this JVM with the node's topics created. Prints the gateway's URL and runs until stopped.
 *
 * <p>Every {@code NAME=value} argument is laid over every service's environment. By default the rate limits are off
 * (the load generator is one client address) and each service gets {@code -Xmx1g} instead of compose's share of the
 * container's memory.
 */
public final class SplitNodeMain {

    private SplitNodeMain() {
    }

    public static void main(String[] arguments) throws InterruptedException {
        Map<String, String> overrides = new HashMap<>(Map.of(
                "LOOM_RATE_LIMIT_DEFAULT_MAX", "0",
                "LOOM_RATE_LIMIT_SENSITIVE_MAX", "0",
                "JAVA_TOOL_OPTIONS", "-Xmx1g -XX:+ExitOnOutOfMemoryError"));
        for (String argument : arguments) {
            int equals = argument.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("expected NAME=value, got " + argument);
            }
            overrides.put(argument.substring(0, equals), argument.substring(equals + 1));
        }
        SplitNode node = SplitNode.start(overrides, TestInfrastructure.get().startSeparateKafka());
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "split-node-stop"));
        System.out.println("split node ready: gateway " + node.gatewayUrl() + ", logs in " + node.logDir());
        new CountDownLatch(1).await();
    }
}
