package org.loom.delivery.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.protocol.crypto.SigningKey;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Compose and Kubernetes hand the node key to every service as a file, read through a config tree
 * ({@code SPRING_CONFIG_IMPORT=optional:configtree:/run/secrets/}). The delivery-worker must sign webhooks with that
 * key, not with a key of its own: a receiver verifies signatures with the key the node document publishes.
 */
class NodeSettingsSecretFileTest {

    @TempDir
    Path secrets;

    @Test
    void nodeKeyGivenAsASecretFileIsTheKeyWebhooksAreSignedWith() throws Exception {
        SigningKey nodeKey = SigningKey.generate();
        Files.writeString(secrets.resolve("LOOM_NODE_SIGNING_PRIVATE_KEY_PEM"), nodeKey.toPkcs8Pem());

        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(NoBeans.class)
                .web(WebApplicationType.NONE)
                .properties("spring.config.import=optional:configtree:" + secrets + "/")
                .run()) {
            NodeSettings settings = Binder.get(context.getEnvironment())
                    .bind("loom.node", NodeSettings.class).get();
            NodeKey key = new NodeKeyConfiguration().nodeKey(settings);

            assertThat(key.key().verifyingKey()).isEqualTo(nodeKey.verifyingKey());
        }
    }

    /** Only the configuration files matter here: no service beans start. */
    @Configuration(proxyBeanMethods = false)
    static class NoBeans {
    }
}
