package org.loom.launcher;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A PostgreSQL database given by {@code LOOM_PG_URL}; each service uses its own schema in it.
 *
 * @param jdbcUrl  a {@code jdbc:postgresql://} URL
 * @param user     the user name, empty to let the driver decide
 * @param password the password, empty for none; never shown by {@link #toString()}
 */
public record PostgresDatabase(String jdbcUrl, String user, String password) implements NodeDatabase {

    public PostgresDatabase {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + withoutQuery(jdbcUrl));
        }
    }

    /**
     * Reads {@code LOOM_PG_URL} in either form operators use: a JDBC URL ({@code jdbc:postgresql://host/db}) or a
     * libpq connection URI ({@code postgres://user:secret@host:5432/db?sslmode=require}). Credentials inside a URI
     * count only when no explicit user or password is given.
     *
     * @throws NodeStartupException when the URL is neither
     */
    public static PostgresDatabase fromUrl(String url, Optional<String> user, Optional<String> password) {
        Objects.requireNonNull(url, "url");
        String trimmed = url.strip();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new PostgresDatabase(trimmed, user.orElse(""), password.orElse(""));
        }
        if (!trimmed.startsWith("postgres://") && !trimmed.startsWith("postgresql://")) {
            throw new NodeStartupException("LOOM_PG_URL must be a jdbc:postgresql:// URL or a postgres:// URI, got "
                    + withoutQuery(redact(trimmed)));
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new NodeStartupException("LOOM_PG_URL is not a valid URI: " + e.getReason(), e);
        }
        if (uri.getHost() == null) {
            throw new NodeStartupException("LOOM_PG_URL names no host");
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getRawAuthority()
                .substring(uri.getRawAuthority().lastIndexOf('@') + 1));
        jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        String uriUser = "";
        String uriPassword = "";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            uriUser = decode(parts[0]);
            uriPassword = parts.length > 1 ? decode(parts[1]) : "";
        }
        return new PostgresDatabase(jdbc.toString(), user.orElse(uriUser), password.orElse(uriPassword));
    }

    @Override
    public String kind() {
        return "postgresql";
    }

    @Override
    public String location() {
        return withoutQuery(jdbcUrl) + (user.isEmpty() ? "" : " as " + user);
    }

    @Override
    public Map<String, String> serviceProperties(String schema) {
        NodeDatabase.requireSchemaName(schema);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", jdbcUrl);
        properties.put("spring.datasource.username", user);
        properties.put("spring.datasource.password", password);
        properties.put("spring.datasource.driver-class-name", "org.postgresql.Driver");
        // PostgreSQL accepts a search path naming a schema that does not exist yet; Flyway then creates it.
        properties.put("spring.datasource.hikari.schema", schema);
        properties.put("spring.flyway.schemas", schema);
        properties.put("spring.flyway.default-schema", schema);
        properties.put("spring.jpa.properties.hibernate.default_schema", schema);
        return properties;
    }

    @Override
    public String toString() {
        return "PostgresDatabase[" + location() + (password.isEmpty() ? "" : ", password set") + "]";
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Query parameters may carry secrets (a password, an SSL key password): never print them. */
    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static String redact(String url) {
        return url.replaceAll("//[^/@]*@", "//***@");
    }
}
