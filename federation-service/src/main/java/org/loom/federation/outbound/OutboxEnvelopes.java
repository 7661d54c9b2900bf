package org.loom.federation.outbound;

import java.util.List;
import org.loom.protocol.json.LoomJson;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/** The envelopes of federation outbox items ({@code federation_outbox_envelope}). */
@Repository
public class OutboxEnvelopes {

    private final JdbcClient jdbc;

    OutboxEnvelopes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void store(String outboxId, List<JsonNode> envelopes) {
        for (int i = 0; i < envelopes.size(); i++) {
            append(outboxId, i, envelopes.get(i));
        }
    }

    /** Adds one envelope at {@code position} (the number the item holds so far). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(String outboxId, int position, JsonNode envelope) {
        jdbc.sql("INSERT INTO federation_outbox_envelope (outbox_id, position, envelope_id, envelope_json)"
                        + " VALUES (?, ?, ?, ?)")
                .params(outboxId, position, envelope.path("id").asString(""), LoomJson.write(envelope)).update();
    }

    public List<JsonNode> load(String outboxId) {
        return jdbc.sql("SELECT envelope_json FROM federation_outbox_envelope WHERE outbox_id = ? ORDER BY position")
                .param(outboxId).query((rs, n) -> LoomJson.parse(rs.getString(1))).list();
    }
}
