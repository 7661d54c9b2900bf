package org.loom.gateway.idempotency;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/**
 * The idempotency records in the gateway database, shared by every replica.
 *
 * <p>Claims rely on the unique (scope, key) constraint and {@code INSERT ... ON CONFLICT DO NOTHING}: of two requests
 * racing for one key, exactly one inserts the row, and the other reads it. Every later change is a conditional update
 * or delete of a pending row, so a settled record is never overwritten.
 */
@Repository
public class IdempotencyStore {

    static final String COMPLETE = "complete";

    // Rows deleted under our feet between the failed insert and the read make the claim start over; a handful of
    // rounds is plenty, since each one means another request just settled or expired the same key.
    private static final int CLAIM_ROUNDS = 5;

    private final JdbcClient jdbc;
    private final IdempotencySettings settings;
    private final Clock clock;

    @Autowired
    public IdempotencyStore(DataSource dataSource, IdempotencySettings settings) {
        this(dataSource, settings, Clock.systemUTC());
    }

    IdempotencyStore(DataSource dataSource, IdempotencySettings settings, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Claims {@code key} in {@code scope} for a request with the given hash, or reports what already holds it. An
     * expired record, or a pending one abandoned by a replica that died mid-request, is deleted and claimed anew.
     */
    public Claim claim(String scope, String key, String requestHash) {
        return claim(scope, key, requestHash, false);
    }

    /**
     * {@link #claim(String, String, String)}, where {@code resubmittable} says the request's command may be submitted
     * again (see {@link Idempotent#resubmittable()}): its claim is also taken anew once it has waited
     * {@code abandonedCommandAfter} for a decision.
     */
    public Claim claim(String scope, String key, String requestHash, boolean resubmittable) {
        for (int round = 0; round < CLAIM_ROUNDS; round++) {
            Instant now = clock.instant();
            GeneratedKeyHolder generated = new GeneratedKeyHolder();
            int inserted = jdbc.sql("""
                    INSERT INTO idempotency_record
                        (scope, idempotency_key, request_hash, status, created_at, expires_at)
                    VALUES (?, ?, ?, 'pending', ?, ?)
                    ON CONFLICT DO NOTHING""")
                    .params(scope, key, requestHash, utc(now), utc(now.plus(settings.ttl())))
                    .update(generated, "id");
            if (inserted == 1) {
                return new Claim.Granted(generated.getKeyAs(Long.class));
            }
            Optional<IdempotencyRecord> found = find(scope, key);
            if (found.isEmpty()) {
                continue;
            }
            IdempotencyRecord record = found.get();
            if (isStale(record, now, resubmittable)) {
                jdbc.sql("DELETE FROM idempotency_record WHERE id = ?").param(record.id()).update();
                continue;
            }
            if (!record.requestHash().equals(requestHash)) {
                return new Claim.Conflict();
            }
            if (record.response().isPresent()) {
                return new Claim.Replay(record.response().get());
            }
            return new Claim.InProgress(record.correlationId());
        }
        throw new IllegalStateException("idempotency key kept changing while it was claimed: " + scope);
    }

    /** The record for a key, expired or not. */
    public Optional<IdempotencyRecord> find(String scope, String key) {
        return jdbc.sql("SELECT * FROM idempotency_record WHERE scope = ? AND idempotency_key = ?")
                .params(scope, key)
                .query(IdempotencyStore::record)
                .optional();
    }

    /** The record with the given id. */
    public Optional<IdempotencyRecord> find(long recordId) {
        return jdbc.sql("SELECT * FROM idempotency_record WHERE id = ?")
                .param(recordId)
                .query(IdempotencyStore::record)
                .optional();
    }

    /**
     * Notes the command a claimed request is about to publish, so that its result completes the record even when it
     * arrives after the request stopped waiting, or at another replica.
     */
    public void attachCorrelation(long recordId, String correlationId) {
        jdbc.sql("UPDATE idempotency_record SET correlation_id = ? WHERE id = ? AND status = 'pending'")
                .params(correlationId, recordId)
                .update();
    }

    /** Stores the answer of a claimed request; false when the record was already settled or is gone. */
    public boolean complete(long recordId, StoredResponse response) {
        return jdbc.sql("""
                UPDATE idempotency_record SET status = 'complete', response_status = ?, response_body = ?
                WHERE id = ? AND status = 'pending'""")
                .params(response.status(), response.body(), recordId)
                .update() == 1;
    }

    /** Stores the late answer of the command with this correlation id; false when no pending record waits for it. */
    public boolean completeByCorrelation(String correlationId, StoredResponse response) {
        return jdbc.sql("""
                UPDATE idempotency_record SET status = 'complete', response_status = ?, response_body = ?
                WHERE correlation_id = ? AND status = 'pending'""")
                .params(response.status(), response.body(), correlationId)
                .update() > 0;
    }

    /** Gives up a claim whose request failed, so that a retry runs the request again. */
    public void release(long recordId) {
        jdbc.sql("DELETE FROM idempotency_record WHERE id = ? AND status = 'pending'").param(recordId).update();
    }

    /** Gives up the claim waiting for a command that was never published. */
    public void releaseByCorrelation(String correlationId) {
        jdbc.sql("DELETE FROM idempotency_record WHERE correlation_id = ? AND status = 'pending'")
                .param(correlationId)
                .update();
    }

    /** How many idempotency records exist now, settled or pending. */
    public long entries() {
        return jdbc.sql("SELECT count(*) FROM idempotency_record").query(Long.class).single();
    }

    /**
     * Deletes expired records, then the oldest records beyond the configured maximum.
     *
     * @return how many records were deleted
     */
    public int sweep() {
        int deleted = jdbc.sql("DELETE FROM idempotency_record WHERE expires_at <= ?")
                .param(utc(clock.instant()))
                .update();
        long count = jdbc.sql("SELECT count(*) FROM idempotency_record").query(Long.class).single();
        long surplus = count - settings.maxEntries();
        if (surplus > 0) {
            deleted += jdbc.sql("""
                    DELETE FROM idempotency_record WHERE id IN (
                        SELECT id FROM idempotency_record ORDER BY created_at, id LIMIT ?)""")
                    .param(surplus)
                    .update();
        }
        return deleted;
    }

    private boolean isStale(IdempotencyRecord record, Instant now, boolean resubmittable) {
        if (!record.expiresAt().isAfter(now)) {
            return true;
        }
        if (resubmittable && record.pending() && record.correlationId().isPresent()
                && record.createdAt().plus(settings.abandonedCommandAfter()).isBefore(now)) {
            // Whether the command ever reached the broker is unknown; submitting it again is safe because the
            // envelope-service stores an envelope id once, and a copy that did arrive answers ENVELOPE_DUPLICATE.
            return true;
        }
        // A claim that never published a command belongs to a request still running its handler; past any handler's
        // running time, its replica is gone. A claim with a command stays: the result may still arrive.
        return record.pending() && record.correlationId().isEmpty()
                && record.createdAt().plus(settings.abandonedClaimAfter()).isBefore(now);
    }

    private static IdempotencyRecord record(ResultSet row, int rowNumber) throws SQLException {
        int status = row.getInt("response_status");
        boolean hasStatus = !row.wasNull();
        Optional<StoredResponse> response = hasStatus && COMPLETE.equals(row.getString("status"))
                ? Optional.of(new StoredResponse(status, row.getString("response_body")))
                : Optional.empty();
        return new IdempotencyRecord(
                row.getLong("id"),
                row.getString("scope"),
                row.getString("idempotency_key"),
                row.getString("request_hash"),
                Optional.ofNullable(row.getString("correlation_id")),
                response,
                row.getObject("created_at", OffsetDateTime.class).toInstant(),
                row.getObject("expires_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
