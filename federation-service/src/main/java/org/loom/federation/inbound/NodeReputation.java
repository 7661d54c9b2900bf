package org.loom.federation.inbound;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.loom.federation.config.FederationSettings;
import org.loom.federation.node.FederatedNode;
import org.loom.federation.node.NodeRegistry;
import org.loom.protocol.time.Timestamps;
import org.loom.service.audit.AuditTrail;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reputation and automatic policy of federated nodes, kept on their registry rows so every replica applies the same
 * state.
 *
 * <p>Each failed inbound request of a known node adds one to its failure count in the current abuse window and to its
 * reputation score; a success resets the count and takes one off the score. Enough failures in one window quarantine a
 * trusted node, more deny it, each for {@code LOOM_FEDERATION_AUTO_POLICY_DURATION_MS}; with challenge escalation on,
 * they also make the node present single-use challenge tokens. Automatic policies and challenge requirements expire
 * lazily, when the node is next looked at.
 */
@Service
public class NodeReputation {

    private final NodeRegistry registry;
    private final FederationSettings settings;
    private final AuditTrail audit;
    private final Clock clock;

    NodeReputation(NodeRegistry registry, FederationSettings settings, AuditTrail audit, Clock clock) {
        this.registry = registry;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    /** The node with expired automatic state cleared (and the expiry audited); empty when it is not registered. */
    @Transactional
    public Optional<FederatedNode> refreshed(String nodeId) {
        Optional<FederatedNode> found = registry.find(nodeId);
        if (found.isEmpty() || !expired(found.get(), clock.instant())) {
            return found;
        }
        return registry.lock(nodeId).map(node -> {
            FederatedNode next = expire(node, clock.instant());
            registry.save(next);
            return next;
        });
    }

    /** Records a failed inbound request of the node. */
    @Transactional
    public void recordFailure(String nodeId, String reasonCode) {
        if (!settings.abuseAutoPolicyEnabled()) {
            return;
        }
        Optional<FederatedNode> locked = registry.lock(nodeId);
        if (locked.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        FederatedNode node = expire(locked.get(), now);
        Instant windowStart = node.abuseWindowStartedAt();
        int count = node.abuseCount();
        if (windowStart == null || !windowStart.plus(settings.abuseWindow()).isAfter(now)) {
            windowStart = now;
            count = 0;
        }
        count++;
        int score = node.reputationScore() + 1;
        audit.record("federation.node.reputation.updated", AuditTrail.payload().put("node_id", nodeId)
                .put("reputation_score", score).put("reason_code", reasonCode).put("actor", "system"));

        String autoPolicy = node.autoPolicy();
        Instant autoUntil = node.autoPolicyUntil();
        String autoReason = node.autoPolicyReason();
        String applied = null;
        if (count >= settings.abuseDenyThreshold()) {
            applied = FederatedNode.DENY;
        } else if (count >= settings.abuseQuarantineThreshold()
                && FederatedNode.TRUSTED.equals(policyName(node.policy(now)))) {
            applied = FederatedNode.QUARANTINE;
        }
        if (applied != null) {
            boolean alreadyActive = node.autoPolicyActive(now) && applied.equals(node.autoPolicy());
            autoPolicy = applied;
            autoUntil = now.plus(settings.autoPolicyDuration());
            autoReason = reasonCode;
            if (!alreadyActive) {
                audit.record("federation.node.auto_policy.applied", AuditTrail.payload().put("node_id", nodeId)
                        .put("policy", applied).put("reason_code", reasonCode)
                        .put("until", Timestamps.format(autoUntil)).put("actor", "system"));
            }
        }
        Instant challengeUntil = node.challengeRequiredUntil();
        String challengeReason = node.challengeReason();
        if (settings.challengeEscalationEnabled()
                && (count >= settings.challengeThreshold() || score >= settings.challengeThreshold())) {
            if (!node.challengeRequired(now)) {
                audit.record("federation.node.challenge.required", AuditTrail.payload().put("node_id", nodeId)
                        .put("reason_code", reasonCode)
                        .put("until", Timestamps.format(now.plus(settings.challengeDuration())))
                        .put("actor", "system"));
            }
            challengeUntil = now.plus(settings.challengeDuration());
            challengeReason = reasonCode;
        }
        registry.save(new FederatedNode(node.nodeId(), node.domain(), node.keyId(), node.signingKeys(),
                node.deliverUrl(), node.apiUrl(), node.configuredPolicy(), autoPolicy, autoUntil, autoReason,
                challengeUntil, challengeReason, score, count, windowStart, node.createdAt(), now));
    }

    /** Records a successful inbound request of the node. */
    @Transactional
    public void recordSuccess(String nodeId) {
        Optional<FederatedNode> locked = registry.lock(nodeId);
        if (locked.isEmpty()) {
            return;
        }
        FederatedNode node = locked.get();
        int score = Math.max(0, node.reputationScore() - 1);
        if (score == node.reputationScore() && node.abuseCount() == 0) {
            return;
        }
        if (score != node.reputationScore()) {
            audit.record("federation.node.reputation.updated", AuditTrail.payload().put("node_id", nodeId)
                    .put("reputation_score", score).put("reason_code", "SUCCESS").put("actor", "system"));
        }
        registry.save(withCounters(node, score, 0, node.abuseWindowStartedAt(), clock.instant()));
    }

    /**
     * Requires challenge tokens of the node from now on, for a node that asks for a token while escalation is on and
     * it is not yet required to present one.
     */
    @Transactional
    public FederatedNode requireChallenge(String nodeId, String reasonCode) {
        FederatedNode node = registry.lock(nodeId).orElseThrow();
        Instant now = clock.instant();
        if (node.challengeRequired(now)) {
            return node;
        }
        Instant until = now.plus(settings.challengeDuration());
        audit.record("federation.node.challenge.required", AuditTrail.payload().put("node_id", nodeId)
                .put("reason_code", reasonCode).put("until", Timestamps.format(until)).put("actor", "system"));
        FederatedNode next = new FederatedNode(node.nodeId(), node.domain(), node.keyId(), node.signingKeys(),
                node.deliverUrl(), node.apiUrl(), node.configuredPolicy(), node.autoPolicy(), node.autoPolicyUntil(),
                node.autoPolicyReason(), until, reasonCode, node.reputationScore(), node.abuseCount(),
                node.abuseWindowStartedAt(), node.createdAt(), now);
        registry.save(next);
        return next;
    }

    private static String policyName(String policy) {
        return FederatedNode.DENY.equals(policy) || FederatedNode.QUARANTINE.equals(policy)
                ? policy : FederatedNode.TRUSTED;
    }

    private static boolean expired(FederatedNode node, Instant now) {
        return (node.autoPolicy() != null && (node.autoPolicyUntil() == null || !node.autoPolicyUntil().isAfter(now)))
                || (node.challengeRequiredUntil() != null && !node.challengeRequiredUntil().isAfter(now));
    }

    private FederatedNode expire(FederatedNode node, Instant now) {
        String autoPolicy = node.autoPolicy();
        Instant autoUntil = node.autoPolicyUntil();
        String autoReason = node.autoPolicyReason();
        if (autoPolicy != null && (autoUntil == null || !autoUntil.isAfter(now))) {
            audit.record("federation.node.auto_policy.expired", AuditTrail.payload().put("node_id", node.nodeId())
                    .put("previous_policy", autoPolicy).put("restored_policy", node.configuredPolicy())
                    .put("actor", "system"));
            autoPolicy = null;
            autoUntil = null;
            autoReason = null;
        }
        Instant challengeUntil = node.challengeRequiredUntil();
        String challengeReason = node.challengeReason();
        if (challengeUntil != null && !challengeUntil.isAfter(now)) {
            audit.record("federation.node.challenge.expired", AuditTrail.payload().put("node_id", node.nodeId())
                    .put("previous_until", Timestamps.format(challengeUntil)).put("actor", "system"));
            challengeUntil = null;
            challengeReason = null;
        }
        return new FederatedNode(node.nodeId(), node.domain(), node.keyId(), node.signingKeys(), node.deliverUrl(),
                node.apiUrl(), node.configuredPolicy(), autoPolicy, autoUntil, autoReason, challengeUntil,
                challengeReason, node.reputationScore(), node.abuseCount(), node.abuseWindowStartedAt(),
                node.createdAt(), node.updatedAt());
    }

    private static FederatedNode withCounters(FederatedNode node, int score, int count, Instant windowStart,
            Instant now) {
        return new FederatedNode(node.nodeId(), node.domain(), node.keyId(), node.signingKeys(), node.deliverUrl(),
                node.apiUrl(), node.configuredPolicy(), node.autoPolicy(), node.autoPolicyUntil(),
                node.autoPolicyReason(), node.challengeRequiredUntil(), node.challengeReason(), score, count,
                windowStart, node.createdAt(), now);
    }
}
