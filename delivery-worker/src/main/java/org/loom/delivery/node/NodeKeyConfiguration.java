package org.loom.delivery.node;

import org.loom.protocol.crypto.InvalidKeyException;
import org.loom.protocol.crypto.SigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the node key from configuration (the embedded node and split deployments always give one). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NodeSettings.class)
class NodeKeyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(NodeKeyConfiguration.class);

    @Bean
    NodeKey nodeKey(NodeSettings settings) {
        if (settings.signingPrivateKeyPem().isEmpty()) {
            log.warn("No node signing key is configured (LOOM_NODE_SIGNING_PRIVATE_KEY_PEM): webhook deliveries are "
                    + "signed with a key generated for this run, which receivers cannot verify against the node document");
            return new NodeKey(settings.id(), settings.signingKeyId(), SigningKey.generate());
        }
        try {
            // Secrets often arrive with literal \n sequences in place of line breaks.
            String pem = settings.signingPrivateKeyPem().replace("\\n", "\n");
            return new NodeKey(settings.id(), settings.signingKeyId(), SigningKey.fromPkcs8Pem(pem));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("The node signing key (LOOM_NODE_SIGNING_PRIVATE_KEY_PEM) is not an "
                    + "Ed25519 private key in PKCS#8 PEM: " + e.getMessage(), e);
        }
    }
}
