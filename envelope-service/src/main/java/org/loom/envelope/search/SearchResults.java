package org.loom.envelope.search;

import java.util.List;
import java.util.Optional;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One answer of {@code GET /v1/search}.
 *
 * @param total how many envelopes match in all
 * @param hits  the first {@code limit} of them, newest first
 */
public record SearchResults(long total, List<Hit> hits) {

    public SearchResults {
        hits = List.copyOf(hits);
    }

    /** One matching envelope, as a result shows it. */
    public record Hit(String envelopeId, String threadId, String type, String from, String createdAt,
            Optional<String> intent, Optional<String> excerpt) {
    }

    /** {@code {total, results: [{envelope_id, thread_id, type, from, created_at, intent, excerpt}]}}. */
    public ObjectNode toJson() {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("total", total);
        ArrayNode results = body.putArray("results");
        for (Hit hit : hits) {
            ObjectNode result = results.addObject();
            result.put("envelope_id", hit.envelopeId());
            result.put("thread_id", hit.threadId());
            result.put("type", hit.type());
            result.put("from", hit.from());
            result.put("created_at", hit.createdAt());
            result.put("intent", hit.intent().orElse(null));
            result.put("excerpt", hit.excerpt().orElse(null));
        }
        return body;
    }
}
