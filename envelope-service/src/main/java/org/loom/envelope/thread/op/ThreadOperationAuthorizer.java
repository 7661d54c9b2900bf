package org.loom.envelope.thread.op;

import java.time.Clock;
import java.util.Optional;
import org.loom.envelope.capability.Capabilities;
import org.loom.envelope.capability.Capabilities.Presented;
import org.loom.envelope.capability.StoredCapability;
import org.loom.envelope.thread.Participants;
import org.loom.envelope.thread.ThreadRecord;
import org.loom.protocol.capability.CapabilityCheck;
import org.loom.protocol.capability.CapabilityUse;
import org.loom.protocol.capability.TokenState;
import org.loom.protocol.envelope.Envelope;
import org.loom.protocol.error.LoomException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.StringNode;

/**
 * Decides whether an actor may perform a thread operation. An active owner may perform every operation without a
 * token. Anyone else must present a capability token holding the intent's grant (spec §12.4): in
 * {@code content.structured.parameters.capability_token}, as the token id or as the signed token itself, or, when
 * the parameters name none, in the {@code X-LOOM-Capability} header. The token is then judged by
 * {@link CapabilityCheck} against the thread's current state.
 *
 * <p>The check runs before the intent is looked up, so a caller without the right learns nothing about which intents
 * the node supports.
 */
@Component
public class ThreadOperationAuthorizer {

    private final Capabilities capabilities;
    private final CapabilityCheck check;

    ThreadOperationAuthorizer(Capabilities capabilities, Clock clock) {
        this.capabilities = capabilities;
        this.check = new CapabilityCheck(clock);
    }

    /**
     * @param presentedHeader the {@code X-LOOM-Capability} header the envelope came with, or {@code null}
     * @return the token that authorised a non-owner; empty for an owner
     * @throws LoomException {@code CAPABILITY_DENIED} when the actor may not perform the operation
     */
    public Optional<StoredCapability> authorize(Envelope envelope, String actor, ThreadRecord thread,
            Participants participants, String presentedHeader) {
        if (participants.isActiveOwner(actor)) {
            return Optional.empty();
        }
        Optional<Presented> presented = capabilities.presented(envelope.parameters().get("capability_token"));
        if (presented.isEmpty() && presentedHeader != null) {
            presented = capabilities.presented(StringNode.valueOf(presentedHeader));
        }
        Optional<StoredCapability> stored = presented.flatMap(Presented::stored);
        check.requireAuthorized(CapabilityUse.forThreadOp(envelope, actor, thread.capEpoch()),
                presented.map(Presented::id).orElse(null),
                stored.map(StoredCapability::token),
                stored.map(StoredCapability::state).orElse(TokenState.ACTIVE));
        return stored;
    }
}
