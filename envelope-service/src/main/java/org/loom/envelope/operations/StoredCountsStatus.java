package org.loom.envelope.operations;

import org.loom.protocol.json.LoomJson;
import org.loom.service.operations.ServiceStatusContributor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@code store} part of the envelope-service's status report: how much it holds. */
@Component
class StoredCountsStatus implements ServiceStatusContributor {

    private final JdbcClient jdbc;

    StoredCountsStatus(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "store";
    }

    @Override
    public JsonNode status() {
        ObjectNode status = LoomJson.mapper().createObjectNode();
        status.put("threads", count("SELECT COUNT(*) FROM thread WHERE event_seq_counter > 0"));
        status.put("envelopes", count("SELECT COUNT(*) FROM envelope"));
        status.put("blobs_pending", count("SELECT COUNT(*) FROM blob WHERE status = 'pending'"));
        status.put("blobs_complete", count("SELECT COUNT(*) FROM blob WHERE status = 'complete'"));
        return status;
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
