package org.loom.service.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.loom.protocol.json.LoomJson;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code outbox_item} table of one kind. Every statement runs in the caller's transaction, if any.
 *
 * <p>Claims lock rows with {@code FOR UPDATE SKIP LOCKED} ordered by the primary key (H2 applies a limit before
 * skipping when the order is on another column), and then stamp a lease, so the row lock is held only for the claim
 * and a crashed worker's items come free when its lease runs out.
 */
final class OutboxStore {

    private static final String COLUMNS = "id, kind, destination, fields, status, attempts, max_attempts,"
            + " next_attempt_at, expires_at, last_error, last_http_status, result, created_at, updated_at,"
            + " delivered_at";

    private static final String INSERT = "INSERT INTO outbox_item (id, kind, destination, fields, status, attempts,"
            + " max_attempts, next_attempt_at, expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)";
    private static final String CLAIMABLE = " kind = ? AND status = 'queued' AND next_attempt_at <= ?"
            + " AND (leased_until IS NULL OR leased_until < ?)";
    private static final String CLAIM_DUE = "SELECT id FROM outbox_item WHERE" + CLAIMABLE
            + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";
    private static final String CLAIM_ONE = "SELECT id FROM outbox_item WHERE id = ? AND" + CLAIMABLE
            + " FOR UPDATE SKIP LOCKED";
    private static final String GATHERING = "SELECT " + COLUMNS + " FROM outbox_item WHERE kind = ? AND destination = ?"
            + " AND status = 'queued' AND attempts = 0 AND next_attempt_at > ?"
            + " AND (leased_until IS NULL OR leased_until < ?) ORDER BY id DESC LIMIT 1 FOR UPDATE SKIP LOCKED";
    private static final String AMEND = "UPDATE outbox_item SET fields = ?, updated_at = ? WHERE id = ? AND kind = ?";
    private static final String LEASE = "UPDATE outbox_item SET lease_owner = ?, leased_until = ? WHERE id = ?";
    private static final String LOCK_LEASED = "SELECT lease_owner FROM outbox_item WHERE id = ? AND kind = ? FOR UPDATE";
    private static final String LOCK = "SELECT id FROM outbox_item WHERE id = ? AND kind = ? FOR UPDATE";
    private static final String RECORD = "UPDATE outbox_item SET status = ?, attempts = ?, next_attempt_at = ?,"
            + " last_error = ?, last_http_status = ?, result = ?, updated_at = ?, delivered_at = ?,"
            + " lease_owner = NULL, leased_until = NULL WHERE id = ?";
    private static final String REQUEUE = "UPDATE outbox_item SET status = 'queued', attempts = 0,"
            + " next_attempt_at = ?, last_error = NULL, last_http_status = NULL, result = NULL, updated_at = ?,"
            + " lease_owner = NULL, leased_until = NULL WHERE id = ?";

    private final JdbcTemplate jdbc;
    private final String kind;
    private final RowMapper<OutboxItem> rows = this::item;

    OutboxStore(JdbcTemplate jdbc, String kind) {
        this.jdbc = jdbc;
        this.kind = kind;
    }

    void insert(NewOutboxItem item, int maxAttempts, Instant now) {
        Instant due = item.dueAt() == null || item.dueAt().isBefore(now) ? now : item.dueAt();
        jdbc.update(INSERT, item.id(), kind, item.destination(), LoomJson.write(item.fields()),
                OutboxStatus.QUEUED.wireName(), maxAttempts, time(due), time(item.expiresAt()), time(now), time(now));
    }

    /** Locks the newest unattempted item for {@code destination} that is not due yet and that nobody holds. */
    Optional<OutboxItem> lockGathering(String destination, Instant now) {
        return jdbc.query(GATHERING, rows, kind, destination, time(now), time(now)).stream().findFirst();
    }

    void amend(String id, ObjectNode fields, Instant now) {
        jdbc.update(AMEND, LoomJson.write(fields), time(now), id, kind);
    }

    Optional<OutboxItem> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM outbox_item WHERE id = ? AND kind = ?", rows, id, kind)
                .stream().findFirst();
    }

    /** Items of this kind, newest first; {@code status} null for every status; {@code fields} must all match. */
    List<OutboxItem> list(OutboxStatus status, Map<String, String> fields, int limit) {
        return list(status, fields.isEmpty() ? null : item -> fields.entrySet().stream()
                .allMatch(wanted -> wanted.getValue().equals(item.field(wanted.getKey()))), limit);
    }

    /** Items of this kind, newest first; {@code status} null for every status; {@code filter} null for all. */
    List<OutboxItem> list(OutboxStatus status, Predicate<OutboxItem> filter, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM outbox_item WHERE kind = ?");
        List<Object> args = new ArrayList<>(List.of(kind));
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.wireName());
        }
        sql.append(" ORDER BY ");
        if (status == OutboxStatus.FAILED) {
            sql.append("updated_at DESC, id ASC");
        } else {
            sql.append("created_at DESC, id DESC");
        }
        if (filter == null) {
            sql.append(" LIMIT ?");
            args.add(limit);
            return jdbc.query(sql.toString(), rows, args.toArray());
        }
        // The kind's own fields are JSON text; filtering them here keeps the SQL portable between PostgreSQL and H2.
        List<OutboxItem> found = new ArrayList<>();
        jdbc.query(sql.toString(), (RowCallbackHandler) rs -> {
            OutboxItem item = rows.mapRow(rs, 0);
            if (found.size() < limit && filter.test(item)) {
                found.add(item);
            }
        }, args.toArray());
        return found;
    }

    /** Locks and leases up to {@code limit} due items; the caller's transaction must commit for the lease to hold. */
    List<String> claimDue(int limit, String owner, Instant now, Instant leasedUntil) {
        List<String> ids = jdbc.queryForList(CLAIM_DUE, String.class, kind, time(now), time(now), limit);
        lease(ids, owner, leasedUntil);
        return ids;
    }

    /** Locks and leases one item if it is due and nobody holds it. */
    boolean claimOne(String id, String owner, Instant now, Instant leasedUntil) {
        List<String> ids = jdbc.queryForList(CLAIM_ONE, String.class, id, kind, time(now), time(now));
        lease(ids, owner, leasedUntil);
        return !ids.isEmpty();
    }

    private void lease(List<String> ids, String owner, Instant leasedUntil) {
        for (String id : ids) {
            jdbc.update(LEASE, owner, time(leasedUntil), id);
        }
    }

    /** Locks the item's row; true when the lease is still {@code owner}'s. */
    boolean lockIfLeasedBy(String id, String owner) {
        List<String> owners = jdbc.query(LOCK_LEASED, (rs, n) -> rs.getString(1), id, kind);
        return !owners.isEmpty() && owner.equals(owners.get(0));
    }

    /** Locks the item's row; false when there is no such item of this kind. */
    boolean lock(String id) {
        return !jdbc.queryForList(LOCK, String.class, id, kind).isEmpty();
    }

    void record(OutboxItem item) {
        jdbc.update(RECORD, item.status().wireName(), item.attempts(), time(item.nextAttemptAt()), item.lastError(),
                item.lastHttpStatus(), item.result() == null ? null : LoomJson.write(item.result()),
                time(item.updatedAt()), time(item.deliveredAt()), item.id());
    }

    void requeue(String id, Instant now) {
        jdbc.update(REQUEUE, time(now), time(now), id);
    }

    private OutboxItem item(ResultSet rs, int row) throws SQLException {
        return new OutboxItem(
                rs.getString("id"),
                rs.getString("kind"),
                rs.getString("destination"),
                object(rs.getString("fields")),
                OutboxStatus.fromWireName(rs.getString("status")).orElseThrow(
                        () -> new IllegalStateException("unknown outbox status in the database")),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                instant(rs, "next_attempt_at"),
                instant(rs, "expires_at"),
                rs.getString("last_error"),
                (Integer) rs.getObject("last_http_status", Integer.class),
                rs.getString("result") == null ? null : object(rs.getString("result")),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "delivered_at"));
    }

    private static ObjectNode object(String json) {
        JsonNode node = LoomJson.parse(json);
        if (!node.isObject()) {
            throw new IllegalStateException("an outbox item column holds JSON that is not an object");
        }
        return (ObjectNode) node;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
