package org.loom.federation.config;

import java.time.Clock;
import org.loom.federation.outbound.GatherSettings;
import org.loom.protocol.crypto.InvalidKeyException;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.kafka.CommandResult;
import org.loom.service.command.CommandClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The node key, the clock and the command channel to the envelope-service. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties({FederationSettings.class, LocalNode.class, GatherSettings.class})
public class FederationConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FederationConfiguration.class);

    @Bean
    NodeKey nodeKey(LocalNode node) {
        if (node.signingPrivateKeyPem().isEmpty()) {
            log.warn("No node signing key is configured (LOOM_NODE_SIGNING_PRIVATE_KEY_PEM): federation requests and "
                    + "receipts are signed with a key generated for this run only");
            return new NodeKey(node.signingKeyId(), SigningKey.generate());
        }
        try {
            return new NodeKey(node.signingKeyId(), SigningKey.fromPkcs8Pem(node.signingPrivateKeyPem()));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("The node signing key (LOOM_NODE_SIGNING_PRIVATE_KEY_PEM) is not an "
                    + "Ed25519 private key in PKCS#8 PEM: " + e.getMessage(), e);
        }
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Inbound envelopes are decided like local submissions. A late result has nobody to answer: the sending node
     * retries its delivery and is then told the envelope is already stored.
     */
    @Bean
    CommandClient commandClient(KafkaProperties kafka, FederationSettings settings) {
        return new CommandClient(kafka, settings.replyGroupId(), "federation-service", (CommandResult late) ->
                log.info("Late decision {} for {}", late.status(), late.correlationId()));
    }
}
