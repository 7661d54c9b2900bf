package org.loom.launcher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What every service context of one node start shares, and how it becomes each context's Spring properties.
 *
 * <p>These properties take precedence over the services' own {@code application.yml}: a service's defaults are meant
 * for running it alone (its own port, its own broker), while here the launcher decides.
 *
 * @param bootstrapServers the broker every service connects to
 * @param signingKey       the node key every signing service uses
 * @param database         where services with a schema keep their tables
 * @param stateKey         which set of schemas in that database this node uses
 * @param internalPorts    the loopback port of each internal service, by service name
 */
record ServiceWiring(
        String bootstrapServers,
        NodeSigningKey signingKey,
        NodeDatabase database,
        StateKey stateKey,
        Map<String, Integer> internalPorts) {

    /**
     * Defaults for every context, below everything else: a service's own settings or an environment variable such as
     * {@code LOGGING_LEVEL_ORG_APACHE_CATALINA=INFO} still override them. Five contexts would otherwise print five
     * copies of every framework start-up line; the launcher reports each service's start itself.
     */
    static final Map<String, Object> DEFAULTS = defaults();

    /** Internal services listen on loopback only: they trust the gateway's word on who the caller is. */
    static final String INTERNAL_ADDRESS = "127.0.0.1";

    /**
     * Spring Boot's database auto-configurations, and the node's own messaging tables (outbox, processed messages);
     * the others (transactions, JDBC templates, health) only apply when a data source exists. Names of classes absent
     * from the class path are ignored by Spring Boot.
     */
    static final List<String> DATABASE_AUTO_CONFIGURATIONS = List.of(
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
            "org.loom.service.messaging.MessagingAutoConfiguration");

    ServiceWiring {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(stateKey, "stateKey");
        internalPorts = Map.copyOf(internalPorts);
    }

    private static Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("spring.main.banner-mode", "off");
        defaults.put("spring.main.log-startup-info", false);
        // Logging is one system for the whole JVM: a context's name in every line would be whichever context
        // started last.
        defaults.put("logging.include-application-name", false);
        for (String logger : List.of("kafka", "org.apache.kafka", "state.change.logger", "org.apache.catalina",
                "org.apache.coyote", "org.apache.tomcat", "org.springframework.boot.tomcat",
                "org.springframework.boot.web", "org.springframework.boot.actuate.endpoint.web",
                "org.springframework.data.repository.config", "org.springframework.orm.jpa", "org.hibernate.orm",
                "com.zaxxer.hikari")) {
            defaults.put("logging.level." + logger, "WARN");
        }
        return Map.copyOf(defaults);
    }

    /** The base URL of an internal service, e.g. {@code http://127.0.0.1:41234}. */
    String internalUrl(String serviceName) {
        Integer port = internalPorts.get(serviceName);
        if (port == null) {
            throw new IllegalArgumentException("no internal service named " + serviceName);
        }
        return "http://" + INTERNAL_ADDRESS + ":" + port;
    }

    /** The property naming an internal service's base URL, e.g. {@code loom.internal.envelope-service-url}. */
    static String internalUrlProperty(String serviceName) {
        return "loom.internal." + serviceName + "-url";
    }

    /**
     * The properties of one service context.
     *
     * @param service the service
     * @param address the address its HTTP server binds
     * @param port    its HTTP port, 0 for any free one
     */
    Map<String, Object> propertiesFor(NodeService service, String address, int port) {
        Map<String, Object> properties = new LinkedHashMap<>();
        // Each context reads its own service's settings file, not whichever application.yml is first on the
        // shared class path.
        properties.put("spring.config.location", ServiceConfigFiles.locationOf(service));
        properties.put("server.address", address);
        properties.put("server.port", port);
        if (service.equals(NodeServices.GATEWAY)) {
            // The gateway's default public domain is HOST:PORT; give it the address and port it really listens on.
            properties.put("HOST", address);
            properties.put("PORT", port);
        }
        properties.put("spring.kafka.bootstrap-servers", bootstrapServers);
        properties.put("loom.node.signing-private-key-pem", signingKey.privateKeyPem());
        properties.put("loom.node.signing-key-id", signingKey.keyId());
        for (NodeService internal : NodeServices.INTERNAL) {
            properties.put(internalUrlProperty(internal.name()), internalUrl(internal.name()));
        }
        if (service.schema().isPresent()) {
            String schema = service.schema().get();
            properties.putAll(database.serviceProperties(stateKey.schemaOf(schema)));
            // Every service's migrations share this JVM's class path: each reads only its own folder (named after
            // the service's own schema, whatever the state key).
            properties.put("spring.flyway.locations", "classpath:db/migration/" + schema);
        } else {
            // The class path is the union of all services', so database support is present even for a service
            // that keeps no tables; left on, it would open a database of its own and run others' migrations.
            properties.put("spring.autoconfigure.exclude", String.join(",", DATABASE_AUTO_CONFIGURATIONS));
        }

        // The launcher owns the JVM's shutdown: contexts must not stop logging or close themselves in JVM hooks of
        // their own, out of the gateway-first order.
        properties.put("logging.register-shutdown-hook", false);
        // Each context keeps its meters to itself instead of adding them to the JVM-wide registry.
        properties.put("management.metrics.use-global-registry", false);
        return properties;
    }
}
