package org.loom.envelope.delegation;

import java.time.Clock;
import java.util.List;
import org.loom.protocol.address.LoomAddress;
import org.loom.protocol.delegation.DelegationChainVerifier;
import org.loom.protocol.delegation.DelegationLink;
import org.loom.protocol.delegation.DelegationLinks;
import org.loom.protocol.envelope.Envelope;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.loom.service.audit.AuditTrail;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records and revokes delegations, and verifies the delegation chains of agent envelopes. Chains are verified here,
 * where the revocation list lives, in the transaction that decides the envelope: a revocation committed before the
 * decision is always seen.
 */
@Service
public class Delegations {

    private final DelegationStore store;
    private final DelegationChainVerifier verifier;
    private final AuditTrail audit;
    private final Clock clock;

    Delegations(DelegationStore store, StoredDelegationDirectory directory, AuditTrail audit, Clock clock) {
        this.store = store;
        this.verifier = new DelegationChainVerifier(directory, clock);
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Records a delegation from the actor. The link is rebuilt from the request in its stored form (see
     * {@link DelegationLinks#fromCreateRequest}) and must carry the delegator's signature over that form.
     *
     * @throws LoomException {@code DELEGATION_INVALID} when the actor is not the delegator or the link does not
     *         verify; {@code ENVELOPE_INVALID} for an invalid delegate; {@code ENVELOPE_DUPLICATE} for a known id
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public StoredDelegation create(String actor, JsonNode body) {
        ObjectNode link = DelegationLinks.fromCreateRequest(body, actor, clock);
        JsonNode delegator = link.get("delegator");
        if (!delegator.isString() || !delegator.stringValue().equals(actor)) {
            throw LoomException.delegationInvalid("Authenticated actor must be the delegator",
                    LoomException.details("actor", actor));
        }
        JsonNode delegate = link.get("delegate");
        if (delegate == null || !delegate.isString() || !LoomAddress.isValid(delegate.stringValue())) {
            throw LoomException.invalid("delegate must be a valid identity", LoomException.details("field",
                    "delegate"));
        }
        DelegationLink verified = verifier.verifyLink(link);
        String json = LoomJson.write(link);
        if (!store.insert(verified, json)) {
            throw new LoomException(ErrorCode.ENVELOPE_DUPLICATE, "Delegation already exists: " + verified.id(),
                    LoomException.details("delegation_id", verified.id()));
        }
        ObjectNode payload = AuditTrail.payload();
        payload.put("delegation_id", verified.id());
        payload.put("delegator", verified.delegator());
        payload.put("delegate", verified.delegate());
        audit.record("delegation.create", payload);
        return store.find(verified.id()).orElseThrow();
    }

    /**
     * Revokes a delegation for its delegator; revoking again changes nothing.
     *
     * @param at the revocation time to record
     * @return true when this call revoked it
     * @throws LoomException {@code DELEGATION_INVALID} for an unknown delegation, an actor who is not its delegator,
     *         or a delegation made irrevocable
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean revoke(String actor, String delegationId, String at) {
        StoredDelegation found = store.lock(delegationId).orElseThrow(() -> LoomException.delegationInvalid(
                "Delegation not found", LoomException.details("delegation_id", delegationId)));
        if (!found.delegator().equals(actor)) {
            throw LoomException.delegationInvalid("Only the delegator can revoke a delegation",
                    LoomException.details("delegation_id", delegationId, "actor", actor));
        }
        if (found.revoked()) {
            return false;
        }
        if (!found.revocable()) {
            throw LoomException.delegationInvalid("Delegation is not revocable",
                    LoomException.details("delegation_id", delegationId));
        }
        store.revoke(delegationId, at);
        ObjectNode payload = AuditTrail.payload();
        payload.put("delegation_id", delegationId);
        payload.put("delegator", found.delegator());
        audit.record("delegation.revoke", payload);
        return true;
    }

    /** {@link #revoke} at node time, returning the delegation as it now stands. */
    @Transactional(propagation = Propagation.MANDATORY)
    public StoredDelegation revoke(String actor, String delegationId) {
        revoke(actor, delegationId, Timestamps.now(clock));
        return store.find(delegationId).orElseThrow();
    }

    /**
     * Verifies the chain of an envelope from an agent; other senders have none.
     *
     * @throws LoomException {@code DELEGATION_INVALID} for the first failing rule
     */
    public List<DelegationLink> verifyChain(Envelope envelope) {
        return verifier.verifyChain(envelope);
    }

    /** The actor's delegations by role, oldest first. */
    public List<StoredDelegation> of(String actor, String role) {
        return store.of(actor, role == null ? "all" : role);
    }
}
