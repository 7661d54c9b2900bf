package org.loom.gateway.envelope;

import java.util.Objects;
import org.loom.gateway.auth.Actor;
import org.loom.protocol.envelope.Envelope;

/**
 * An envelope that passed every check the gateway makes: well formed, sent by the authenticated actor, signed with an
 * active key of that identity, and claiming the identity's registered type.
 *
 * @param envelope  the envelope
 * @param actor     the authenticated actor, who is the sender
 * @param actorType the sender's registered identity type
 */
public record AdmittedEnvelope(Envelope envelope, Actor actor, String actorType) {

    public AdmittedEnvelope {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(actorType, "actorType");
    }
}
