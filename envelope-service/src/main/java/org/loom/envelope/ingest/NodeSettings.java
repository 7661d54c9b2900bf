package org.loom.envelope.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who this node is. Bound from {@code loom.node.*} ({@code LOOM_NODE_ID}, {@code LOOM_NODE_SIGNING_PRIVATE_KEY_PEM},
 * {@code LOOM_NODE_SIGNING_KEY_ID}).
 *
 * @param id                   the node id written to {@code meta.node_id} of every envelope the node stores; a
 *                             federation name, not the domain
 * @param signingPrivateKeyPem the node signing key (Ed25519, PKCS#8 PEM) that signs capability tokens and the thread
 *                             operations the node records itself; empty for a key that lasts this run only
 * @param signingKeyId         the id the node key is published under
 */
@ConfigurationProperties("loom.node")
public record NodeSettings(
        @DefaultValue("loom-node.local") String id,
        @DefaultValue("") String signingPrivateKeyPem,
        @DefaultValue("k_node_sign_local_1") String signingKeyId) {

    public NodeSettings {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("loom.node.id must not be blank");
        }
        signingPrivateKeyPem = signingPrivateKeyPem == null ? "" : signingPrivateKeyPem.strip();
        signingKeyId = signingKeyId == null || signingKeyId.isBlank() ? "k_node_sign_local_1" : signingKeyId.strip();
    }
}
