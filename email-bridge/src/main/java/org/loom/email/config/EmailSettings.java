package org.loom.email.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The email-bridge's own settings besides the relay ({@code loom.smtp}) and the outbox policy
 * ({@code loom.email.outbox}). Bound from {@code loom.email.*}.
 *
 * @param outboxTtlMs        how long a queued email is retried before it becomes a dead letter, unless the request
 *                           sets {@code expires_at}
 * @param envelopeServiceUrl the envelope-service, which the bridge reads envelopes and threads from
 * @param decisionTimeout    how long an inbound or submitted email waits for the envelope-service's decision
 * @param replyGroupId       the consumer group every bridge replica joins on the command results topic
 * @param maxAttachmentBytes the largest single attachment an inbound raw message may carry
 * @param maxAttachments     the most attachments an inbound raw message may carry
 */
@ConfigurationProperties("loom.email")
public record EmailSettings(
        @DefaultValue("259200000") long outboxTtlMs,
        @DefaultValue("http://127.0.0.1:8788") URI envelopeServiceUrl,
        @DefaultValue("10000ms") Duration decisionTimeout,
        @DefaultValue("email-bridge-replies") String replyGroupId,
        @DefaultValue("26214400") long maxAttachmentBytes,
        @DefaultValue("50") int maxAttachments) {

    public EmailSettings {
        if (outboxTtlMs < 1) {
            throw new IllegalArgumentException("loom.email.outbox-ttl-ms must be positive");
        }
        Objects.requireNonNull(envelopeServiceUrl, "loom.email.envelope-service-url");
        if (decisionTimeout == null || decisionTimeout.isNegative() || decisionTimeout.isZero()) {
            throw new IllegalArgumentException("loom.email.decision-timeout must be positive");
        }
        if (maxAttachmentBytes < 1) {
            throw new IllegalArgumentException("loom.email.max-attachment-bytes must be positive");
        }
        if (maxAttachments < 0) {
            throw new IllegalArgumentException("loom.email.max-attachments must not be negative");
        }
        replyGroupId = replyGroupId == null || replyGroupId.isBlank() ? "email-bridge-replies" : replyGroupId.strip();
    }
}
