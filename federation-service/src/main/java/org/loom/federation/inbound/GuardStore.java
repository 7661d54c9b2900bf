package org.loom.federation.inbound;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The inbound guard state every replica shares: accepted nonces, fixed-window request counters and challenge tokens.
 */
@Repository
public class GuardStore {

    private final JdbcClient jdbc;

    GuardStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** True when an unexpired nonce with this value was accepted before. */
    public boolean nonceSeen(String nonce, Instant now) {
        return jdbc.sql("SELECT COUNT(*) FROM federation_nonce WHERE nonce = ? AND expires_at > ?")
                .params(nonce, time(now)).query(Long.class).single() > 0;
    }

    /**
     * Records an accepted nonce; false when another request recorded it first (a replay racing the original).
     * Expired nonces are dropped on the way, so the table stays as small as the freshness window allows.
     */
    @Transactional
    public boolean recordNonce(String nonce, String nodeId, Instant now, Duration ttl) {
        jdbc.sql("DELETE FROM federation_nonce WHERE expires_at <= ?").param(time(now)).update();
        return jdbc.sql("INSERT INTO federation_nonce (nonce, node_id, expires_at) VALUES (?, ?, ?)"
                        + " ON CONFLICT DO NOTHING")
                .params(nonce, nodeId, time(now.plus(ttl))).update() == 1;
    }

    /**
     * Counts a request against a fixed window. A full window refuses the request without counting it.
     *
     * @return empty when admitted; the milliseconds until the window ends when refused
     */
    @Transactional
    public OptionalLong admit(String scope, int max, Duration window, Instant now) {
        jdbc.sql("INSERT INTO federation_rate_window (scope_key, window_started_at, request_count) VALUES (?, ?, 0)"
                        + " ON CONFLICT DO NOTHING")
                .params(scope, time(now)).update();
        record Window(Instant startedAt, int count) {
        }
        Window current = jdbc.sql("SELECT window_started_at, request_count FROM federation_rate_window"
                        + " WHERE scope_key = ? FOR UPDATE")
                .param(scope)
                .query((rs, n) -> new Window(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getInt(2)))
                .single();
        Instant startedAt = current.startedAt();
        int count = current.count();
        if (!startedAt.plus(window).isAfter(now)) {
            startedAt = now;
            count = 0;
        }
        if (count >= max) {
            return OptionalLong.of(Math.max(0, Duration.between(now, startedAt.plus(window)).toMillis()));
        }
        jdbc.sql("UPDATE federation_rate_window SET window_started_at = ?, request_count = ? WHERE scope_key = ?")
                .params(time(startedAt), count + 1, scope).update();
        return OptionalLong.empty();
    }

    /** Stores a new challenge token for the node; tokens issued to it before can no longer be used. */
    @Transactional
    public void storeChallenge(String token, String nodeId, Instant expiresAt, Instant now) {
        jdbc.sql("UPDATE federation_challenge SET consumed_at = ? WHERE node_id = ? AND consumed_at IS NULL")
                .params(time(now), nodeId).update();
        jdbc.sql("DELETE FROM federation_challenge WHERE expires_at <= ?").param(time(now)).update();
        jdbc.sql("INSERT INTO federation_challenge (token, node_id, expires_at) VALUES (?, ?, ?)")
                .params(token, nodeId, time(expiresAt)).update();
    }

    /** Uses up the token if it is the node's, unexpired and unused; true when it was. */
    @Transactional
    public boolean consumeChallenge(String token, String nodeId, Instant now) {
        return jdbc.sql("UPDATE federation_challenge SET consumed_at = ? WHERE token = ? AND node_id = ?"
                        + " AND consumed_at IS NULL AND expires_at > ?")
                .params(time(now), token, nodeId, time(now)).update() == 1;
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
