package org.loom.envelope.node;

import org.loom.envelope.ingest.NodeSettings;
import org.loom.protocol.crypto.InvalidKeyException;
import org.loom.protocol.crypto.SigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the node signing key from the settings every service of the node is given. */
@Configuration(proxyBeanMethods = false)
class NodeKeyConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(NodeKeyConfiguration.class);

    @Bean
    NodeKey nodeKey(NodeSettings settings) {
        String identity = NodeKey.identityFor(settings.id());
        if (settings.signingPrivateKeyPem().isEmpty()) {
            LOG.warn("No node signing key is configured (LOOM_NODE_SIGNING_PRIVATE_KEY_PEM): capability tokens are "
                    + "signed with a key generated for this run only and stop verifying after a restart");
            return new NodeKey(identity, settings.signingKeyId(), SigningKey.generate());
        }
        try {
            return new NodeKey(identity, settings.signingKeyId(), SigningKey.fromPkcs8Pem(settings.signingPrivateKeyPem()));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("The node signing key (LOOM_NODE_SIGNING_PRIVATE_KEY_PEM) is not an "
                    + "Ed25519 private key in PKCS#8 PEM: " + e.getMessage(), e);
        }
    }
}
