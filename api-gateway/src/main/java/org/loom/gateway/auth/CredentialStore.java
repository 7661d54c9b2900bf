package org.loom.gateway.auth;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import javax.sql.DataSource;

import org.loom.protocol.crypto.Sha256;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Challenges and bearer tokens, shared by every gateway replica. Tokens are looked up by the SHA-256 of their text;
 * the text itself is never stored.
 */
@Repository
class CredentialStore {

    private final JdbcClient jdbc;

    CredentialStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    void saveChallenge(Challenge challenge, Instant now) {
        jdbc.sql("""
                        INSERT INTO auth_challenge (id, identity_id, key_id, nonce, created_at, expires_at, used_at)
                        VALUES (:id, :identity, :keyId, :nonce, :now, :expiresAt, NULL)""")
                .param("id", challenge.id())
                .param("identity", challenge.identity())
                .param("keyId", challenge.keyId())
                .param("nonce", challenge.nonce())
                .param("now", timestamp(now))
                .param("expiresAt", timestamp(challenge.expiresAt()))
                .update();
    }

    Optional<Challenge> findChallenge(String id) {
        return jdbc.sql("SELECT id, identity_id, key_id, nonce, expires_at, used_at FROM auth_challenge WHERE id = :id")
                .param("id", id)
                .query((rs, row) -> new Challenge(
                        rs.getString("id"),
                        rs.getString("identity_id"),
                        rs.getString("key_id"),
                        rs.getString("nonce"),
                        rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("used_at", OffsetDateTime.class) != null))
                .optional();
    }

    /**
     * Marks an unused, unexpired challenge used; false when another request did first. The condition is checked by
     * the update itself, which waits for a concurrent update of the same row, so exactly one caller gets true.
     */
    boolean consumeChallenge(String id, Instant now) {
        return jdbc.sql("""
                        UPDATE auth_challenge SET used_at = :now
                        WHERE id = :id AND used_at IS NULL AND expires_at > :now""")
                .param("id", id)
                .param("now", timestamp(now))
                .update() == 1;
    }

    void saveAccessToken(String token, Actor actor, Instant now, Instant expiresAt) {
        saveToken("access_token", token, actor, now, expiresAt);
    }

    void saveRefreshToken(String token, Actor actor, Instant now, Instant expiresAt) {
        saveToken("refresh_token", token, actor, now, expiresAt);
    }

    /** The actor of an unexpired access token whose key is still active. */
    Optional<Actor> accessTokenActor(String token, Instant now) {
        return tokenActor("access_token", token, now);
    }

    /** The actor of an unexpired refresh token whose key is still active. */
    Optional<Actor> refreshTokenActor(String token, Instant now) {
        return tokenActor("refresh_token", token, now);
    }

    /** Deletes up to {@code limit} expired rows of each table; the number deleted. */
    int deleteExpired(Instant now, int limit) {
        return deleteExpired("auth_challenge", "id", now, limit)
                + deleteExpired("access_token", "token_hash", now, limit)
                + deleteExpired("refresh_token", "token_hash", now, limit);
    }

    private void saveToken(String table, String token, Actor actor, Instant now, Instant expiresAt) {
        jdbc.sql("INSERT INTO " + table + " (token_hash, identity_id, key_id, created_at, expires_at)"
                        + " VALUES (:hash, :identity, :keyId, :now, :expiresAt)")
                .param("hash", Sha256.hex(token))
                .param("identity", actor.identity())
                .param("keyId", actor.keyId())
                .param("now", timestamp(now))
                .param("expiresAt", timestamp(expiresAt))
                .update();
    }

    // The join makes a key's revocation end its tokens at once, whichever replica issued them.
    private Optional<Actor> tokenActor(String table, String token, Instant now) {
        return jdbc.sql("SELECT t.identity_id, t.key_id FROM " + table + " t"
                        + " JOIN identity_key k ON k.identity_id = t.identity_id AND k.key_id = t.key_id"
                        + " WHERE t.token_hash = :hash AND t.expires_at > :now AND k.status = 'active'")
                .param("hash", Sha256.hex(token))
                .param("now", timestamp(now))
                .query((rs, row) -> new Actor(rs.getString("identity_id"), rs.getString("key_id")))
                .optional();
    }

    private int deleteExpired(String table, String primaryKey, Instant now, int limit) {
        return jdbc.sql("DELETE FROM " + table + " WHERE " + primaryKey + " IN (SELECT " + primaryKey + " FROM "
                        + table + " WHERE expires_at <= :now ORDER BY " + primaryKey + " LIMIT :limit)")
                .param("now", timestamp(now))
                .param("limit", limit)
                .update();
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    }
}
