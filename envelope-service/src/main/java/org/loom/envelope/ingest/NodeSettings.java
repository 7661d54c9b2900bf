package org.loom.envelope.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who this node is. Bound from {@code loom.node.*} ({@code LOOM_NODE_ID}).
 *
 * @param id the node id written to {@code meta.node_id} of every envelope the node stores; a federation name, not the
 *           domain
 */
@ConfigurationProperties("loom.node")
public record NodeSettings(@DefaultValue("loom-node.local") String id) {

    public NodeSettings {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("loom.node.id must not be blank");
        }
    }
}
