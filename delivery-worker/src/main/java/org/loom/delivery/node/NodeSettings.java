package org.loom.delivery.node;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The node facts the delivery-worker needs: its id (written into webhook bodies) and its signing key (webhook
 * signatures). The same {@code loom.node.*} settings every service of the node reads.
 *
 * @param id                   the node id ({@code LOOM_NODE_ID})
 * @param signingPrivateKeyPem the node key, Ed25519 PKCS#8 PEM ({@code LOOM_NODE_SIGNING_PRIVATE_KEY_PEM})
 * @param signingKeyId         the id the key is published under ({@code LOOM_NODE_SIGNING_KEY_ID})
 */
@ConfigurationProperties("loom.node")
public record NodeSettings(String id, String signingPrivateKeyPem, String signingKeyId) {

    public NodeSettings {
        id = blankTo(id, "loom-node.local");
        signingPrivateKeyPem = blankTo(signingPrivateKeyPem, "");
        signingKeyId = blankTo(signingKeyId, "k_node_sign_local_1");
    }

    private static String blankTo(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
