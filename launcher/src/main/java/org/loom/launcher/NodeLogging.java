package org.loom.launcher;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.StandardEnvironment;

/**
 * Sets up Spring Boot's logging before the broker and the first service context start.
 *
 * <p>Without it, the broker would log through the logging library's bare defaults (everything, debug included) until
 * the first context configured logging; and contexts starting side by side would each reconfigure it at once. Once
 * initialised here, the contexts find logging ready and only apply their levels.
 */
final class NodeLogging {

    /** Loggers of the embedded broker, which reports every routine step at INFO. */
    private static final String[] BROKER_LOGGERS = {"kafka", "org.apache.kafka", "state.change.logger"};

    private NodeLogging() {
    }

    static void initialize() {
        LoggingSystem logging = LoggingSystem.get(NodeLogging.class.getClassLoader());
        // Both calls do nothing when logging is already set up, e.g. on a second start in the same JVM.
        logging.beforeInitialize();
        logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
        for (String logger : BROKER_LOGGERS) {
            logging.setLogLevel(logger, LogLevel.WARN);
        }
    }
}
