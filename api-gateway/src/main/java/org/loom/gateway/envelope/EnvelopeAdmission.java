package org.loom.gateway.envelope;

import org.loom.gateway.auth.Actor;
import org.loom.gateway.identity.IdentityDirectory;
import org.loom.gateway.identity.IdentityDirectory.IdentityKey;
import org.loom.gateway.identity.IdentityDirectory.RegisteredIdentity;
import org.loom.protocol.envelope.Envelope;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.springframework.stereotype.Component;

/**
 * The checks on a submitted envelope that need no thread state, in the order their errors are reported: the sender
 * is the authenticated actor; the signature is made with an active key of the sender; the sender's declared type is
 * its registered type.
 *
 * <p>Keys are looked up only among the sender's own keys, so a key id another identity registered cannot sign for
 * this one. The type check is required by the protocol (a human must not pass as a service, nor an agent escape its
 * delegation checks by claiming to be human).
 */
@Component
public class EnvelopeAdmission {

    private final IdentityDirectory identities;

    public EnvelopeAdmission(IdentityDirectory identities) {
        this.identities = identities;
    }

    /**
     * Admits an envelope from an actor.
     *
     * @throws LoomException {@code CAPABILITY_DENIED} when the actor is not the sender or the declared type is wrong;
     *         {@code SIGNATURE_INVALID} for an unknown or revoked key or a signature that does not verify
     */
    public AdmittedEnvelope admit(Actor actor, Envelope envelope) {
        String from = envelope.from().identity().toString();
        if (!actor.identity().equals(from)) {
            throw LoomException.capabilityDenied("Authenticated actor must match envelope.from.identity",
                    LoomException.details("actor", actor.identity(), "from", from));
        }
        String keyId = envelope.signatureKeyId();
        RegisteredIdentity sender = identities.find(from).orElse(null);
        IdentityKey key = sender == null ? null : sender.activeKey(keyId).orElse(null);
        if (key == null) {
            throw LoomException.signatureInvalid("Unknown signing key: " + keyId,
                    LoomException.details("field", "signature.key_id"));
        }
        if (!EnvelopeSignatures.verify(envelope.json(), key.key())) {
            throw LoomException.signatureInvalid("Envelope signature verification failed",
                    LoomException.details("field", "signature.value"));
        }
        String declared = envelope.from().type().wireName();
        if (!sender.type().equals(declared)) {
            throw LoomException.capabilityDenied("Sender type does not match the registered identity type",
                    LoomException.details("expected", sender.type(), "actual", declared));
        }
        return new AdmittedEnvelope(envelope, actor, sender.type());
    }
}
