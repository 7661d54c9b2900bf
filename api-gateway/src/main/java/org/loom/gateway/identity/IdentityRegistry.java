package org.loom.gateway.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.loom.gateway.auth.Actor;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.kafka.Topics;
import org.loom.service.audit.AuditTrail;
import org.loom.service.messaging.OutboxEvents;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Registers identities and manages their signing keys.
 *
 * <p>A key is bound to one identity and only that identity's holder may change it: an existing identity is updated
 * only with a bearer token of that identity, updates add keys but never drop them, and a key is retired only by
 * revoking it, which keeps its id taken for good. Every change is written to the outbox, in the same transaction, as
 * the identity's whole new state for the other services.
 */
@Service
public class IdentityRegistry implements IdentityDirectory {

    private final IdentityStore store;
    private final OutboxEvents outbox;
    private final Clock clock = Clock.systemUTC();

    private final AuditTrail audit;

    IdentityRegistry(IdentityStore store, OutboxEvents outbox, AuditTrail audit) {
        this.audit = audit;
        this.store = store;
        this.outbox = outbox;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<RegisteredIdentity> find(String identity) {
        return store.find(identity).map(IdentityDocument::toRegisteredIdentity);
    }

    /** The stored document of an identity. */
    @Transactional(readOnly = true)
    public Optional<IdentityDocument> document(String identity) {
        return store.find(identity);
    }

    /**
     * Registers a new identity, or updates an existing one for its own holder: the display name may change, listed
     * keys that are not bound yet are added, and keys already bound stay as they are.
     *
     * @param caller the authenticated caller, if the request carried a bearer token
     * @throws LoomException {@code CAPABILITY_DENIED} when the identity exists and the caller is not it;
     *         {@code STATE_TRANSITION_INVALID} for a change of type; {@code ENVELOPE_DUPLICATE} when a listed key id
     *         is already bound to other key material or was revoked
     */
    @Transactional
    public IdentityDocument register(IdentityRegistration registration, Optional<Actor> caller) {
        String id = registration.id();
        Instant now = IdentityStore.truncate(clock.instant());
        if (store.insertIfAbsent(id, registration.type().orElse(IdentityType.HUMAN),
                registration.displayName().orElse(id), now)) {
            int position = 0;
            for (KeyBinding binding : registration.keys()) {
                store.insertKey(id, binding, position++, now);
            }
            ObjectNode registered = AuditTrail.payload();
            registered.put("identity", id);
            registered.put("type", registration.type().orElse(IdentityType.HUMAN).wireName());
            audit.record("identity.register", registered);
            return published(id);
        }

        if (caller.isEmpty() || !caller.get().identity().equals(id)) {
            throw LoomException.capabilityDenied("Identity already registered: " + id
                    + "; updating it requires a bearer token of that identity", LoomException.details("identity", id));
        }
        IdentityDocument existing = store.lock(id).orElseThrow(() -> notFound(id));
        if (registration.type().isPresent() && registration.type().get() != existing.type()) {
            throw new LoomException(ErrorCode.STATE_TRANSITION_INVALID, "Identity type cannot change from "
                    + existing.type().wireName() + " to " + registration.type().get().wireName(),
                    LoomException.details("field", "type", "identity", id));
        }
        int position = existing.keys().size();
        for (KeyBinding binding : registration.keys()) {
            Optional<IdentityDocument.BoundKey> bound = existing.key(binding.keyId());
            if (bound.isEmpty()) {
                store.insertKey(id, binding, position++, now);
            } else if (!bound.get().active() || !bound.get().key().equals(binding.key())) {
                throw new LoomException(ErrorCode.ENVELOPE_DUPLICATE,
                        "Signing key id already bound to a different or revoked key: " + binding.keyId(),
                        LoomException.details("field", binding.field(), "key_id", binding.keyId()));
            }
        }
        store.update(id, registration.displayName().orElse(existing.displayName()), now);
        ObjectNode updated = AuditTrail.payload();
        updated.put("identity", id);
        updated.put("actor", id);
        audit.record("identity.update", updated);
        return published(id);
    }

    /**
     * Binds one more signing key to the caller's identity.
     *
     * @throws LoomException {@code ENVELOPE_DUPLICATE} when the identity already has a key with that id, active or
     *         revoked
     */
    @Transactional
    public IdentityDocument addKey(Actor caller, KeyBinding binding) {
        String id = caller.identity();
        IdentityDocument existing = store.lock(id).orElseThrow(() -> notFound(id));
        if (existing.key(binding.keyId()).isPresent()) {
            throw new LoomException(ErrorCode.ENVELOPE_DUPLICATE, "Signing key already registered: " + binding.keyId(),
                    LoomException.details("field", "key_id", "key_id", binding.keyId()));
        }
        Instant now = IdentityStore.truncate(clock.instant());
        store.insertKey(id, binding, existing.keys().size(), now);
        store.update(id, existing.displayName(), now);
        recordKeyChange("identity.key.add", id, binding.keyId());
        return published(id);
    }

    /**
     * Revokes one of the caller's keys. The key stays listed as revoked; from the commit on it obtains no challenge,
     * its tokens stop working and it no longer verifies envelopes.
     *
     * @throws LoomException {@code IDENTITY_NOT_FOUND} for a key id the identity does not have;
     *         {@code STATE_TRANSITION_INVALID} when it is already revoked or is the last active key
     */
    @Transactional
    public IdentityDocument revokeKey(Actor caller, String keyId) {
        String id = caller.identity();
        IdentityDocument existing = store.lock(id).orElseThrow(() -> notFound(id));
        IdentityDocument.BoundKey key = existing.key(keyId).orElseThrow(() -> new LoomException(
                ErrorCode.IDENTITY_NOT_FOUND, "Signing key not found: " + keyId,
                LoomException.details("identity", id, "key_id", keyId)));
        if (!key.active()) {
            throw new LoomException(ErrorCode.STATE_TRANSITION_INVALID, "Signing key already revoked: " + keyId,
                    LoomException.details("key_id", keyId));
        }
        if (existing.activeKeyCount() == 1) {
            throw new LoomException(ErrorCode.STATE_TRANSITION_INVALID, "Cannot revoke the last active key",
                    LoomException.details("key_id", keyId));
        }
        Instant now = IdentityStore.truncate(clock.instant());
        store.revokeKey(id, keyId, now);
        store.update(id, existing.displayName(), now);
        recordKeyChange("identity.key.revoke", id, keyId);
        return published(id);
    }

    private void recordKeyChange(String action, String identity, String keyId) {
        ObjectNode change = AuditTrail.payload();
        change.put("identity", identity);
        change.put("key_id", keyId);
        change.put("actor", identity);
        audit.record(action, change);
    }

    /** Re-reads the identity after a change and queues its new state for the other services. */
    private IdentityDocument published(String id) {
        IdentityDocument document = store.find(id).orElseThrow(() -> notFound(id));
        outbox.append(Topics.IDENTITY_CHANGES, id, document.toChange(LoomIds.next(IdPrefix.EVENT)));
        return document;
    }

    static LoomException notFound(String id) {
        return new LoomException(ErrorCode.IDENTITY_NOT_FOUND, "Identity not found: " + id,
                LoomException.details("identity", id));
    }
}
