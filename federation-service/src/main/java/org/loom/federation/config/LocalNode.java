package org.loom.federation.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * This node as federation sees it ({@code loom.node.*}): its id, its domain and the node signing key it signs
 * requests and receipts with (the one key every signing service of the node uses).
 *
 * @param nodeId               {@code LOOM_NODE_ID}, default {@code loom-node.local}
 * @param domain               {@code LOOM_DOMAIN}; identities of this domain are local
 * @param signingPrivateKeyPem the node key, PKCS#8 PEM; without one a key for this run only is generated
 * @param signingKeyId         {@code LOOM_NODE_SIGNING_KEY_ID}, default {@code k_node_sign_local_1}
 */
@ConfigurationProperties("loom.node")
public record LocalNode(String nodeId, String domain, String signingPrivateKeyPem, String signingKeyId) {

    public LocalNode {
        nodeId = blankTo(nodeId, "loom-node.local");
        domain = blankTo(domain, "");
        signingPrivateKeyPem = blankTo(signingPrivateKeyPem, "");
        signingKeyId = blankTo(signingKeyId, "k_node_sign_local_1");
    }

    private static String blankTo(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
