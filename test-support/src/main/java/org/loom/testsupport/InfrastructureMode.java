package org.loom.testsupport;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/** Where the Kafka broker and the PostgreSQL server used by tests come from. */
public enum InfrastructureMode {

    /**
     * One embedded KRaft broker inside the test JVM, and the PostgreSQL server already running on this machine
     * ({@code 127.0.0.1:5432} unless {@code LOOM_TEST_PG_URL} says otherwise).
     */
    LOCAL,

    /** A Kafka container and a PostgreSQL container, started once per JVM through Testcontainers. */
    CONTAINERS;

    /** The environment variable that chooses the mode. */
    public static final String ENVIRONMENT_VARIABLE = "LOOM_TEST_INFRA";

    /** The system property that chooses the mode; it wins over the environment variable. */
    public static final String SYSTEM_PROPERTY = "loom.test.infra";

    /** The mode this JVM is configured for: explicit setting first, else containers when Docker answers. */
    static InfrastructureMode configured(BooleanSupplier dockerAvailable) {
        return resolve(System.getProperty(SYSTEM_PROPERTY), System.getenv(ENVIRONMENT_VARIABLE), dockerAvailable);
    }

    /**
     * Picks the mode from a system property value and an environment value (either may be null or blank), asking
     * about Docker only when neither is set.
     */
    static InfrastructureMode resolve(String systemProperty, String environment, BooleanSupplier dockerAvailable) {
        String chosen = isSet(systemProperty) ? systemProperty : environment;
        if (!isSet(chosen)) {
            return dockerAvailable.getAsBoolean() ? CONTAINERS : LOCAL;
        }
        return switch (chosen.trim().toLowerCase(Locale.ROOT)) {
            case "local" -> LOCAL;
            case "containers" -> CONTAINERS;
            default -> throw new IllegalStateException(
                    ENVIRONMENT_VARIABLE + " must be 'local' or 'containers', not '" + chosen + "'");
        };
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
