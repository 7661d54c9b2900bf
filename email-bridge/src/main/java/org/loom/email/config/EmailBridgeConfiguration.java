package org.loom.email.config;

import java.time.Clock;
import org.loom.email.attachment.AttachmentBlobs;
import org.loom.email.bridge.InboundEnvelopes;
import org.loom.email.bridge.NodeSigner;
import org.loom.email.bridge.OutboundRenderer;
import org.loom.email.envelope.EnvelopeServiceClient;
import org.loom.email.inbound.EmailIngest;
import org.loom.email.index.JdbcMessageIndex;
import org.loom.email.outbox.EmailOutboxHandler;
import org.loom.email.relay.EmailRelay;
import org.loom.email.relay.SmtpSettings;
import org.loom.protocol.crypto.InvalidKeyException;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.kafka.CommandResult;
import org.loom.service.audit.AuditTrail;
import org.loom.service.command.CommandClient;
import org.loom.service.outbox.Outbox;
import org.loom.service.outbox.OutboxPolicy;
import org.loom.service.outbox.Outboxes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The bridge's parts: the node key, the relay, the mapping in both directions and the email outbox. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NodeKeySettings.class, EmailSettings.class, SmtpSettings.class})
class EmailBridgeConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(EmailBridgeConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The node key; without one a plain run signs with a key of its own that lasts until it stops. */
    @Bean
    NodeSigner nodeSigner(NodeKeySettings settings) {
        if (settings.signingPrivateKeyPem().isEmpty()) {
            LOG.warn("No node signing key is configured (LOOM_NODE_SIGNING_PRIVATE_KEY_PEM): bridged envelopes are "
                    + "signed with a key generated for this run only");
            return new NodeSigner(settings.nodeId(), settings.signingKeyId(), SigningKey.generate());
        }
        try {
            return new NodeSigner(settings.nodeId(), settings.signingKeyId(),
                    SigningKey.fromPkcs8Pem(settings.signingPrivateKeyPem()));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("The node signing key (LOOM_NODE_SIGNING_PRIVATE_KEY_PEM) is not an "
                    + "Ed25519 private key in PKCS#8 PEM: " + e.getMessage(), e);
        }
    }

    @Bean
    EmailRelay emailRelay(SmtpSettings settings, Clock clock) {
        EmailRelay relay = new EmailRelay(settings, clock);
        LOG.info("Email relay: {}", relay.status());
        return relay;
    }

    @Bean
    OutboundRenderer outboundRenderer(JdbcMessageIndex index, NodeSigner signer) {
        return new OutboundRenderer(index, signer);
    }

    @Bean
    InboundEnvelopes inboundEnvelopes(JdbcMessageIndex index, NodeSigner signer, Clock clock) {
        return new InboundEnvelopes(index, signer, clock);
    }

    /**
     * The command channel to the envelope-service for inbound and submitted email. A decision that arrives after its
     * request stopped waiting still gets its Message-ID indexed.
     */
    @Bean
    CommandClient commandClient(KafkaProperties kafka, EmailSettings settings, ObjectProvider<EmailIngest> ingest) {
        return new CommandClient(kafka, settings.replyGroupId(), "email-bridge",
                (CommandResult late) -> ingest.getObject().lateDecision(late));
    }

    /**
     * The email outbox. Its worker runs only while the relay can send: with the relay disabled every attempt would
     * fail, so items wait (and can still be processed on request) instead of burning their attempts.
     */
    @Bean
    Outbox emailOutbox(Outboxes outboxes, EmailRelay relay, EnvelopeServiceClient envelopes,
            OutboundRenderer renderer, JdbcMessageIndex index, AuditTrail audit, AttachmentBlobs blobs) {
        OutboxPolicy configured = outboxes.policy("loom.email.outbox");
        OutboxPolicy policy = relay.enabled() ? configured : new OutboxPolicy(0, configured.batchSize(),
                configured.maxAttempts(), configured.baseBackoffMs(), configured.maxBackoffMs(),
                configured.jitterRatio(), configured.parallelism(), configured.attemptTimeoutMs(), configured.leaseMs());
        return outboxes.create("email", policy, new EmailOutboxHandler(envelopes, renderer, relay, index, audit, blobs));
    }
}
