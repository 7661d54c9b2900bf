package org.loom.system;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.loom.launcher.EmbeddedKafka;

/**
 * The node's embedded broker as a program of its own, so a test can {@code kill -9} it:
 * {@code KafkaBrokerMain <directory> <broker port> <controller port>}. The directory is formatted on the first start
 * only; a restart on the same directory and ports finds every topic, record and committed offset the broker had
 * flushed or recovered, as a broker restarted by its orchestrator does.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] arguments) throws InterruptedException {
        EmbeddedKafka broker = EmbeddedKafka.start(Path.of(arguments[0]), Integer.parseInt(arguments[1]),
                Integer.parseInt(arguments[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-stop"));
        // Runs until the process is stopped (SIGTERM, which the hook answers) or killed.
        new CountDownLatch(1).await();
    }
}
