package org.loom.launcher;

import java.util.Objects;
import java.util.Optional;

/**
 * One service of the node as the embedded launcher runs it: a Spring Boot application class started as its own
 * context, and, for a service that keeps tables, the schema it owns.
 *
 * @param name        the service's name, as in its {@code spring.application.name}
 * @param application the {@code @SpringBootApplication} class
 * @param schema      the schema the service owns; empty for a service without a database
 */
public record NodeService(String name, Class<?> application, Optional<String> schema) {

    public NodeService {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(schema, "schema");
        schema.ifPresent(NodeDatabase::requireSchemaName);
    }

    /** A service without a database. */
    public static NodeService of(String name, Class<?> application) {
        return new NodeService(name, application, Optional.empty());
    }

    /** The same service, owning {@code schema} in the node's database. */
    public NodeService withDatabase(String schema) {
        return new NodeService(name, application, Optional.of(schema));
    }
}
