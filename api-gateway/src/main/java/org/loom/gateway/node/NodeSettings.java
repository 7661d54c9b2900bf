package org.loom.gateway.node;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who this node is and how it is reached. Unset or blank values take the defaults; without a domain the node document
 * uses {@code HOST:PORT}, as the reference node does.
 *
 * @param nodeId                 the federation identity of the node ({@code x-loom-node}); not its domain
 * @param domain                 the public domain the node document's URLs are built from
 * @param publicBaseUrl          when set, the node's URLs are built from it instead of {@code https://{domain}}, e.g.
 *                               {@code http://127.0.0.1:8787} for a plain-HTTP node
 * @param signingPrivateKeyPem   the node signing key, Ed25519 PKCS#8 PEM; none means a key for this run only
 * @param signingKeyId           the id the node signing key is published under
 */
@ConfigurationProperties("loom.node")
public record NodeSettings(
        String nodeId, String domain, String publicBaseUrl, String signingPrivateKeyPem, String signingKeyId) {

    public static final String DEFAULT_NODE_ID = "loom-node.local";
    public static final String DEFAULT_SIGNING_KEY_ID = "k_node_sign_local_1";

    public NodeSettings {
        nodeId = orDefault(nodeId, DEFAULT_NODE_ID);
        domain = orDefault(domain, "");
        publicBaseUrl = orDefault(publicBaseUrl, "");
        signingPrivateKeyPem = orDefault(signingPrivateKeyPem, "");
        signingKeyId = orDefault(signingKeyId, DEFAULT_SIGNING_KEY_ID);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
