package org.loom.gateway.node;

import org.loom.protocol.crypto.InvalidKeyException;
import org.loom.protocol.crypto.SigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The node's identity as configured: its signing key and its node document. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NodeSettings.class)
class NodeConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(NodeConfiguration.class);

    /**
     * The configured node key. Without one, a plain development run gets a key of its own that lasts until it stops;
     * other nodes would not recognise the node after a restart, hence the warning.
     */
    @Bean
    NodeSigningKey nodeSigningKey(NodeSettings settings) {
        if (settings.signingPrivateKeyPem().isEmpty()) {
            LOG.warn("No node signing key is configured (LOOM_NODE_SIGNING_PRIVATE_KEY_PEM): using a key generated "
                    + "for this run only; other nodes will not recognise this node's signatures after a restart");
            return new NodeSigningKey(settings.signingKeyId(), SigningKey.generate());
        }
        try {
            return new NodeSigningKey(settings.signingKeyId(), SigningKey.fromPkcs8Pem(settings.signingPrivateKeyPem()));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("The node signing key (LOOM_NODE_SIGNING_PRIVATE_KEY_PEM) is not an "
                    + "Ed25519 private key in PKCS#8 PEM: " + e.getMessage(), e);
        }
    }

    @Bean
    NodeDocument nodeDocument(NodeSettings settings, NodeSigningKey signingKey, Environment environment) {
        String domain = settings.domain().isEmpty()
                ? environment.resolvePlaceholders("${HOST:127.0.0.1}:${PORT:8787}")
                : settings.domain();
        PublicEndpoints endpoints = settings.publicBaseUrl().isEmpty()
                ? PublicEndpoints.ofDomain(domain)
                : PublicEndpoints.ofBaseUrl(settings.publicBaseUrl());
        return new NodeDocument(settings.nodeId(), domain, endpoints, signingKey);
    }
}
