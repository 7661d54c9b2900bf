package org.loom.service.outbox;

import java.util.Collections;
import java.util.List;
import org.loom.protocol.json.LoomJson;
import org.loom.service.operations.ServiceStatusContributor;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The depth of each delivery outbox this service declared, reported as {@code outbox} in the status report (the
 * gateway lifts it into {@code GET /v1/admin/status}): per kind, {@code queued} (not attempted yet),
 * {@code retry_scheduled} (waiting after failed attempts), {@code delivered}, {@code failed} (dead letters) and
 * {@code total}. A service without an outbox reports nothing.
 */
public class DeliveryOutboxStatus implements ServiceStatusContributor {

    private final JdbcTemplate jdbc;
    private final Outboxes outboxes;

    public DeliveryOutboxStatus(JdbcTemplate jdbc, Outboxes outboxes) {
        this.jdbc = jdbc;
        this.outboxes = outboxes;
    }

    @Override
    public String name() {
        return "outbox";
    }

    @Override
    public JsonNode status() {
        List<String> kinds = outboxes.kinds();
        if (kinds.isEmpty()) {
            return null;
        }
        ObjectNode status = LoomJson.mapper().createObjectNode();
        for (String kind : kinds) {
            status.putObject(kind).put("total", 0).put("queued", 0).put("retry_scheduled", 0).put("delivered", 0)
                    .put("failed", 0);
        }
        String placeholders = String.join(", ", Collections.nCopies(kinds.size(), "?"));
        jdbc.query("SELECT kind, status, CASE WHEN attempts > 0 THEN 1 ELSE 0 END AS tried, COUNT(*) AS items"
                + " FROM outbox_item WHERE kind IN (" + placeholders + ")"
                + " GROUP BY kind, status, CASE WHEN attempts > 0 THEN 1 ELSE 0 END", rows -> {
                    ObjectNode counts = (ObjectNode) status.get(rows.getString("kind"));
                    String state = rows.getString("status");
                    String column = OutboxStatus.QUEUED.wireName().equals(state)
                            ? (rows.getInt("tried") == 1 ? "retry_scheduled" : "queued") : state;
                    long items = rows.getLong("items");
                    counts.put(column, counts.path(column).asLong(0) + items);
                    counts.put("total", counts.get("total").asLong() + items);
                }, kinds.toArray());
        return status;
    }
}
