package org.loom.protocol.capability;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.loom.protocol.error.LoomException;

/**
 * Decides whether a capability token lets a non-owner perform a thread operation. Thread owners need no token and
 * are not judged here.
 *
 * <p>The checks run in a fixed order and the first failure is reported, each as 403 {@code CAPABILITY_DENIED}: a
 * token was presented; the node knows it; it is for this thread; it was issued to the actor; it is not revoked,
 * spent or expired; its epoch is the thread's current one (so one revocation invalidates every older token of the
 * thread); it holds the grant or {@code admin}; and, when its scope restricts them, the envelope type and priority
 * are allowed. The signature of a presented token is checked separately ({@link CapabilityTokens#verify}).
 */
public final class CapabilityCheck {

    private final Clock clock;

    public CapabilityCheck(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Throws unless the token authorises the operation.
     *
     * @param use              the operation and the thread's state
     * @param presentedTokenId the token id the operation names, or {@code null} when it names none
     * @param token            the token the node holds under that id, if any
     * @param state            what the node recorded about that token
     */
    public void requireAuthorized(CapabilityUse use, String presentedTokenId, Optional<CapabilityToken> token,
            TokenState state) {
        if (presentedTokenId == null || presentedTokenId.isBlank()) {
            throw LoomException.capabilityDenied("Capability token required for thread operation",
                    LoomException.details("intent", use.intent(), "actor", use.actor()));
        }
        CapabilityToken held = token.orElseThrow(() -> LoomException.capabilityDenied("Capability token not found",
                LoomException.details("capability_token", presentedTokenId)));
        if (!held.threadId().equals(use.threadId())) {
            throw LoomException.capabilityDenied("Capability token thread scope mismatch", LoomException.details(
                    "capability_token", held.id(), "token_thread_id", held.threadId(), "thread_id", use.threadId()));
        }
        if (!held.issuedTo().equals(use.actor())) {
            throw LoomException.capabilityDenied("Capability token issued to different identity",
                    LoomException.details("capability_token", held.id(), "actor", use.actor()));
        }
        String unusable = state.revoked() ? "revoked"
                : state.spent() ? "spent"
                : held.isExpiredAt(clock.instant()) ? "expired"
                : null;
        if (unusable != null) {
            throw LoomException.capabilityDenied("Capability token not usable",
                    LoomException.details("capability_token", held.id(), "reason", unusable));
        }
        if (held.epoch() != use.threadCapEpoch()) {
            throw LoomException.capabilityDenied("Capability token epoch mismatch",
                    LoomException.details("token_epoch", held.epoch(), "thread_epoch", use.threadCapEpoch()));
        }
        if (!held.hasGrant(use.requiredGrant())) {
            throw LoomException.capabilityDenied("Capability token grant missing for operation",
                    LoomException.details("required_grant", use.requiredGrant()));
        }
        if (!held.scope().allowsEnvelopeType(use.envelopeType())) {
            throw LoomException.capabilityDenied("Capability token scope does not allow envelope type",
                    LoomException.details("envelope_type", use.envelopeType(),
                            "envelope_types", held.scope().envelopeTypes()));
        }
        if (!held.scope().allowsPriority(use.priority())) {
            throw LoomException.capabilityDenied("Capability token scope does not allow priority",
                    LoomException.details("priority", use.priority().wireName(),
                            "max_priority", held.scope().maxPriority().wireName()));
        }
    }
}
