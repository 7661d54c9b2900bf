package org.loom.federation.inbound;

import java.time.Clock;
import java.time.Instant;
import org.loom.federation.config.FederationSettings;
import org.loom.federation.node.FederatedNode;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.loom.service.audit.AuditTrail;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issues single-use challenge tokens ({@code POST /v1/federation/challenge}) to a verified node. While escalation is
 * on, asking for a token puts the node under challenge if it was not already; a new token replaces the node's previous
 * one.
 */
@Service
public class ChallengeIssuer {

    private final NodeReputation reputation;
    private final GuardStore guards;
    private final FederationSettings settings;
    private final AuditTrail audit;
    private final Clock clock;

    ChallengeIssuer(NodeReputation reputation, GuardStore guards, FederationSettings settings, AuditTrail audit,
            Clock clock) {
        this.reputation = reputation;
        this.guards = guards;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public ObjectNode issue(FederatedNode verified) {
        Instant now = clock.instant();
        FederatedNode node = verified;
        if (settings.challengeEscalationEnabled() && !node.challengeRequired(now)) {
            node = reputation.requireChallenge(node.nodeId(), "MANUAL_CHALLENGE");
        }
        Instant latest = now.plus(settings.challengeDuration());
        Instant expiresAt = node.challengeRequired(now) && node.challengeRequiredUntil().isBefore(latest)
                ? node.challengeRequiredUntil() : latest;
        String token = LoomIds.next(IdPrefix.FEDERATION_CHALLENGE);
        guards.storeChallenge(token, node.nodeId(), expiresAt, now);
        audit.record("federation.node.challenge.issued", AuditTrail.payload().put("node_id", node.nodeId())
                .put("expires_at", Timestamps.format(expiresAt)).put("actor", node.nodeId()));
        boolean required = settings.challengeEscalationEnabled() && node.challengeRequired(now);
        ObjectNode response = LoomJson.mapper().createObjectNode();
        response.put("node_id", node.nodeId());
        response.put("challenge_token", token);
        response.put("expires_at", Timestamps.format(expiresAt));
        response.put("required_until", required ? Timestamps.format(node.challengeRequiredUntil()) : null);
        response.put("required", required);
        return response;
    }
}
