package org.loom.email.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The node identity the bridge signs and names messages with. Bound from {@code loom.node.*}.
 *
 * @param nodeId               the node id ({@code LOOM_NODE_ID}); made-up Message-IDs end in {@code @nodeId}
 * @param signingPrivateKeyPem the node signing key, Ed25519 PKCS#8 PEM; none means a key for this run only
 * @param signingKeyId         the id the node key is published under
 */
@ConfigurationProperties("loom.node")
public record NodeKeySettings(String nodeId, String signingPrivateKeyPem, String signingKeyId) {

    public NodeKeySettings {
        nodeId = orDefault(nodeId, "loom-node.local");
        signingPrivateKeyPem = orDefault(signingPrivateKeyPem, "");
        signingKeyId = orDefault(signingKeyId, "k_node_sign_local_1");
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
