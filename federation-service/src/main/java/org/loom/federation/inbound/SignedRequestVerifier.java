package org.loom.federation.inbound;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.loom.federation.config.FederationSettings;
import org.loom.federation.node.FederatedNode;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.federation.HttpSignature;
import org.loom.protocol.federation.SignedRequestHeaders;
import org.loom.protocol.time.Timestamps;
import org.loom.service.web.ProtocolErrorResponses;
import org.springframework.stereotype.Component;

/**
 * Checks a signed node-to-node request (LOOM-HTTP-SIG-1) in the order whose side effects peers observe: headers, node
 * and key, expired automatic state, deny policy, the global then the per-node rate window, freshness, nonce replay,
 * the signature, the challenge token, and only then the nonce is recorded. A request refused before the rate checks
 * costs no quota; one refused after them has used its quota but not burnt its nonce.
 */
@Component
public class SignedRequestVerifier {

    static final String GLOBAL_SCOPE = "__global__";
    static final String CHALLENGE_ENDPOINT = "/v1/federation/challenge";

    private final NodeReputation reputation;
    private final GuardStore guards;
    private final FederationSettings settings;
    private final Clock clock;

    SignedRequestVerifier(NodeReputation reputation, GuardStore guards, FederationSettings settings, Clock clock) {
        this.reputation = reputation;
        this.guards = guards;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Verifies the request and returns the node that sent it.
     *
     * @param header           looks a request header up by lower-case name
     * @param checkChallenge   false for the challenge endpoint itself
     * @throws LoomException the first check that fails
     */
    public FederatedNode verify(String method, String path, byte[] body, Function<String, String> header,
            boolean checkChallenge) {
        SignedRequestHeaders headers = SignedRequestHeaders.read(header);
        Optional<FederatedNode> known = reputation.refreshed(headers.nodeId());
        Optional<VerifyingKey> key = known.flatMap(node -> node.verifyingKey(headers.keyId()));
        if (key.isEmpty()) {
            throw LoomException.signatureInvalid("Unknown federation node or key id",
                    LoomException.details("node_id", headers.nodeId(), "key_id", headers.keyId()));
        }
        FederatedNode node = known.get();
        Instant now = clock.instant();
        if (FederatedNode.DENY.equals(node.policy(now))) {
            boolean auto = node.autoPolicyActive(now);
            throw LoomException.capabilityDenied("Federation node policy denies inbound delivery",
                    LoomException.details("node_id", node.nodeId(), "auto_policy", auto, "auto_policy_until",
                            auto ? Timestamps.format(node.autoPolicyUntil()) : null));
        }
        OptionalLong globalWait = guards.admit(GLOBAL_SCOPE, settings.globalRateMax(), settings.globalRateWindow(), now);
        if (globalWait.isPresent()) {
            throw rateLimited("Federation global inbound rate limit exceeded", "federation_global", node.nodeId(),
                    settings.globalRateMax(), settings.globalRateWindow().toMillis(), globalWait.getAsLong());
        }
        OptionalLong nodeWait = guards.admit("node:" + node.nodeId(), settings.nodeRateMax(),
                settings.nodeRateWindow(), now);
        if (nodeWait.isPresent()) {
            throw rateLimited("Federation node inbound rate limit exceeded", "federation_node", node.nodeId(),
                    settings.nodeRateMax(), settings.nodeRateWindow().toMillis(), nodeWait.getAsLong());
        }
        if (!HttpSignature.isFresh(headers.timestamp(), clock, settings.freshnessWindow())) {
            throw LoomException.signatureInvalid("Federation request timestamp outside freshness window",
                    LoomException.details("timestamp", headers.timestamp()));
        }
        if (guards.nonceSeen(headers.nonce(), now)) {
            throw replay(headers.nonce());
        }
        if (!HttpSignature.verifySignature(method, path, body, headers, key.get())) {
            throw LoomException.signatureInvalid("Federation request signature verification failed",
                    LoomException.details("node_id", node.nodeId()));
        }
        if (checkChallenge && settings.challengeEscalationEnabled() && node.challengeRequired(now)) {
            String token = header.apply(HttpSignature.CHALLENGE_TOKEN);
            if (token == null || token.isBlank()) {
                throw challengeDenied("Federation challenge token required", node);
            }
            if (!guards.consumeChallenge(token.strip(), node.nodeId(), now)) {
                throw challengeDenied("Invalid federation challenge token", node);
            }
        }
        if (!guards.recordNonce(headers.nonce(), node.nodeId(), now, settings.nonceTtl())) {
            throw replay(headers.nonce());
        }
        return node;
    }

    private static LoomException replay(String nonce) {
        return LoomException.signatureInvalid("Federation request nonce replay detected",
                LoomException.details("nonce", nonce));
    }

    private static LoomException rateLimited(String message, String scope, String nodeId, int limit, long windowMs,
            long retryAfterMs) {
        return new LoomException(ErrorCode.RATE_LIMIT_EXCEEDED, message, LoomException.details("scope", scope,
                "node_id", nodeId, "limit", limit, "window_ms", windowMs,
                ProtocolErrorResponses.RETRY_AFTER_MS, retryAfterMs));
    }

    private static LoomException challengeDenied(String message, FederatedNode node) {
        Map<String, Object> details = LoomException.details("scope", "federation_challenge", "node_id",
                node.nodeId(), "challenge_required", true, "challenge_required_until",
                Timestamps.format(node.challengeRequiredUntil()), "challenge_endpoint", CHALLENGE_ENDPOINT);
        return LoomException.capabilityDenied(message, details);
    }
}
