package org.loom.gateway.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The identity tables. Callers hold the transaction; {@link #lock} makes concurrent changes to one identity take
 * turns, so checks such as "at least one active key remains" hold when they commit.
 */
@Repository
class IdentityStore {

    private static final String IDENTITY_COLUMNS = "id, identity_type, display_name, created_at, updated_at";

    /** Enough for the active senders of a large provider; a key outside it is only read again. */
    private static final int PARSED_KEYS = 20_000;

    private final JdbcClient jdbc;
    private final ParsedKeys parsedKeys = new ParsedKeys(PARSED_KEYS);

    IdentityStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    Optional<IdentityDocument> find(String id) {
        return row("SELECT " + IDENTITY_COLUMNS + " FROM registered_identity WHERE id = :id", id);
    }

    /** {@link #find} with the identity row locked until the transaction ends. */
    Optional<IdentityDocument> lock(String id) {
        return row("SELECT " + IDENTITY_COLUMNS + " FROM registered_identity WHERE id = :id FOR UPDATE", id);
    }

    /**
     * Creates the identity row unless the id is taken; false when it is, including when a concurrent registration
     * of the same id committed first.
     */
    boolean insertIfAbsent(String id, IdentityType type, String displayName, Instant now) {
        return jdbc.sql("""
                        INSERT INTO registered_identity (id, identity_type, display_name, created_at, updated_at)
                        VALUES (:id, :type, :displayName, :now, :now) ON CONFLICT DO NOTHING""")
                .param("id", id)
                .param("type", type.wireName())
                .param("displayName", displayName)
                .param("now", timestamp(now))
                .update() == 1;
    }

    void update(String id, String displayName, Instant now) {
        jdbc.sql("UPDATE registered_identity SET display_name = :displayName, updated_at = :now WHERE id = :id")
                .param("id", id)
                .param("displayName", displayName)
                .param("now", timestamp(now))
                .update();
    }

    void insertKey(String id, KeyBinding binding, int position, Instant now) {
        jdbc.sql("""
                        INSERT INTO identity_key
                            (identity_id, key_id, list_position, public_key_pem, status, created_at, revoked_at)
                        VALUES (:id, :keyId, :position, :pem, 'active', :now, NULL)""")
                .param("id", id)
                .param("keyId", binding.keyId())
                .param("position", position)
                .param("pem", binding.key().toSpkiPem())
                .param("now", timestamp(now))
                .update();
    }

    void revokeKey(String id, String keyId, Instant now) {
        jdbc.sql("""
                        UPDATE identity_key SET status = 'revoked', revoked_at = :now
                        WHERE identity_id = :id AND key_id = :keyId AND status = 'active'""")
                .param("id", id)
                .param("keyId", keyId)
                .param("now", timestamp(now))
                .update();
    }

    /** Node time at the precision the store and the wire keep: milliseconds. */
    static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    private List<IdentityDocument.BoundKey> keys(String id) {
        return jdbc.sql("""
                        SELECT key_id, public_key_pem, created_at, revoked_at FROM identity_key
                        WHERE identity_id = :id ORDER BY list_position""")
                .param("id", id)
                .query((rs, row) -> new IdentityDocument.BoundKey(
                        rs.getString("key_id"),
                        parsedKeys.fromSpkiPem(rs.getString("public_key_pem")),
                        instant(rs, "created_at"),
                        instant(rs, "revoked_at")))
                .list();
    }

    private Optional<IdentityDocument> row(String sql, String id) {
        return jdbc.sql(sql)
                .param("id", id)
                .query(IdentityStore::identityRow)
                .optional()
                .map(row -> row.withKeys(keys(id)));
    }

    private static IdentityRow identityRow(ResultSet rs, int rowNumber) throws SQLException {
        String type = rs.getString("identity_type");
        return new IdentityRow(
                rs.getString("id"),
                IdentityType.fromWireName(type)
                        .orElseThrow(() -> new IllegalStateException("Unknown identity type in store: " + type)),
                rs.getString("display_name"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    private record IdentityRow(String id, IdentityType type, String displayName, Instant createdAt, Instant updatedAt) {

        IdentityDocument withKeys(List<IdentityDocument.BoundKey> keys) {
            return new IdentityDocument(id, type, displayName, keys, createdAt, updatedAt);
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(truncate(instant), ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
