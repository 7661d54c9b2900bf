package org.loom.gateway.envelope;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway hands envelopes to the envelope-service and waits for its decision.
 *
 * @param decisionTimeout     how long a request waits for the decision on its command before answering
 *                            {@code DECISION_PENDING} ({@code LOOM_DECISION_TIMEOUT_MS})
 * @param replyAssignmentWait how long a request waits for this instance's reply consumer to be assigned a partition
 *                            of the results topic, right after start or during a rebalance
 * @param retryAfter          what a client answered {@code DECISION_PENDING} is told to wait before retrying
 * @param replyGroupId        the consumer group every gateway instance's reply consumer joins; the results topic's
 *                            partitions are shared out among the instances
 */
@ConfigurationProperties("loom.envelopes")
public record EnvelopeSettings(
        @DefaultValue("10000ms") Duration decisionTimeout,
        @DefaultValue("5s") Duration replyAssignmentWait,
        @DefaultValue("1s") Duration retryAfter,
        @DefaultValue("api-gateway-replies") String replyGroupId) {

    public EnvelopeSettings {
        requirePositive(decisionTimeout, "decision-timeout");
        requirePositive(replyAssignmentWait, "reply-assignment-wait");
        requirePositive(retryAfter, "retry-after");
        if (replyGroupId == null || replyGroupId.isBlank()) {
            throw new IllegalArgumentException("loom.envelopes.reply-group-id must not be blank");
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("loom.envelopes." + name + " must be positive");
        }
    }
}
