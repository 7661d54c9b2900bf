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
 */
@ConfigurationProperties("loom.email")
public record EmailSettings(
        @DefaultValue("259200000") long outboxTtlMs,
        @DefaultValue("http://127.0.0.1:8788") URI envelopeServiceUrl,
        @DefaultValue("10000ms") Duration decisionTimeout,
        @DefaultValue("email-bridge-replies") String replyGroupId) {

    public EmailSettings {
        if (outboxTtlMs < 1) {
            throw new IllegalArgumentException("loom.email.outbox-ttl-ms must be positive");
        }
        Objects.requireNonNull(envelopeServiceUrl, "loom.email.envelope-service-url");
        if (decisionTimeout == null || decisionTimeout.isNegative() || decisionTimeout.isZero()) {
            throw new IllegalArgumentException("loom.email.decision-timeout must be positive");
        }
        replyGroupId = replyGroupId == null || replyGroupId.isBlank() ? "email-bridge-replies" : replyGroupId.strip();
    }
}
