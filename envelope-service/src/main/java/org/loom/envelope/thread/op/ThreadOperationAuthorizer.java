package org.loom.envelope.thread.op;

import org.loom.envelope.thread.Participants;
import org.loom.protocol.error.LoomException;
import org.springframework.stereotype.Component;

/**
 * Decides whether an actor may perform a thread operation. An active owner may perform every operation; anyone else
 * needs a capability for the intent's grant, which this node does not accept yet, so they are refused.
 *
 * <p>The check runs before the intent is looked up, so a caller without the right learns nothing about which intents
 * the node supports.
 */
@Component
public class ThreadOperationAuthorizer {

    /**
     * @throws LoomException {@code CAPABILITY_DENIED} "Capability token required for thread operation"
     *                       {@code {intent, actor}} when the actor is not an active owner
     */
    public void authorize(String intent, String actor, Participants participants) {
        if (participants.isActiveOwner(actor)) {
            return;
        }
        throw LoomException.capabilityDenied("Capability token required for thread operation",
                LoomException.details("intent", intent, "actor", actor));
    }
}
