package org.loom.envelope.capability;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.loom.envelope.ingest.NodeRecordedOps;
import org.loom.envelope.node.NodeKey;
import org.loom.envelope.thread.Participants;
import org.loom.envelope.thread.ThreadRecord;
import org.loom.envelope.thread.ThreadStore;
import org.loom.protocol.address.LoomAddress;
import org.loom.protocol.capability.CapabilityScope;
import org.loom.protocol.capability.CapabilityToken;
import org.loom.protocol.capability.CapabilityTokens;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.thread.ThreadOpIntent;
import org.loom.protocol.time.Timestamps;
import org.loom.service.audit.AuditTrail;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issues and revokes capability tokens, and finds the token a thread operation presents.
 *
 * <p>Both writes lock the thread row: a token's epoch is the thread's {@code cap_epoch} when it is issued, and a
 * revocation raises that epoch, so issuing and revoking are ordered with the thread's operations.
 */
@Service
public class Capabilities {

    private final CapabilityStore store;
    private final ThreadStore threads;
    private final NodeRecordedOps recordedOps;
    private final NodeKey nodeKey;
    private final AuditTrail audit;
    private final Clock clock;

    Capabilities(CapabilityStore store, ThreadStore threads, NodeRecordedOps recordedOps, NodeKey nodeKey,
            AuditTrail audit, Clock clock) {
        this.store = store;
        this.threads = threads;
        this.recordedOps = recordedOps;
        this.nodeKey = nodeKey;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Issues a token: {@code {thread_id, issued_to, grants[], expires_at?, single_use?, scope?}}, where the optional
     * {@code scope} object may restrict {@code envelope_types}, {@code max_depth}, {@code max_priority} and
     * {@code external_domains}. Checked in this order: the thread exists, the actor owns it, {@code issued_to},
     * {@code grants}, {@code expires_at}, then the scope restrictions.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public StoredCapability issue(String actor, JsonNode body) {
        String threadId = text(body.get("thread_id"));
        ThreadRecord thread = Optional.ofNullable(threadId).filter(id -> LoomIds.isValid(IdPrefix.THREAD, id))
                .flatMap(threads::lock)
                .filter(found -> !found.opening())
                .orElseThrow(() -> new LoomException(ErrorCode.THREAD_NOT_FOUND, "Thread not found: " + threadId,
                        LoomException.details("thread_id", threadId)));
        if (!threads.participants(thread.id()).isActiveOwner(actor)) {
            throw LoomException.capabilityDenied("Only thread owner can issue capability tokens",
                    LoomException.details("thread_id", thread.id(), "actor", actor));
        }
        String issuedTo = text(body.get("issued_to"));
        if (issuedTo == null || !LoomAddress.isValid(issuedTo)) {
            throw LoomException.invalid("issued_to must be a valid identity", LoomException.details("field",
                    "issued_to"));
        }
        List<String> grants;
        try {
            grants = CapabilityToken.normalizeGrants(body.get("grants"));
        } catch (LoomException e) {
            throw LoomException.invalid("grants must be a non-empty array of strings",
                    LoomException.details("field", "grants"));
        }
        String expiresAt = null;
        JsonNode expires = body.get("expires_at");
        if (expires != null && !expires.isNull()) {
            expiresAt = text(expires);
            if (!Timestamps.isValid(expiresAt)) {
                throw LoomException.invalid("expires_at must be an ISO-8601 timestamp",
                        LoomException.details("field", "expires_at"));
            }
        }
        CapabilityScope scope = scope(thread.id(), body.get("scope"));
        CapabilityToken unsigned = new CapabilityToken(CapabilityToken.LOOM_VERSION, LoomIds.next(IdPrefix.CAPABILITY),
                actor, issuedTo, Timestamps.now(clock), expiresAt, truthy(body.get("single_use")), thread.capEpoch(),
                grants, scope, null);
        CapabilityToken signed = CapabilityTokens.sign(unsigned, nodeKey.key(), nodeKey.keyId());
        String json = LoomJson.write(signed.toJson());
        store.insert(signed, json);
        ObjectNode payload = AuditTrail.payload();
        payload.put("capability_id", signed.id());
        payload.put("thread_id", thread.id());
        payload.put("issued_by", actor);
        payload.put("issued_to", issuedTo);
        audit.record("capability.issue", payload);
        return new StoredCapability(signed, json, false, Optional.empty(), false, Optional.empty());
    }

    /**
     * Revokes a token for its issuer or a current owner of its thread. The first revocation raises the thread's
     * {@code cap_epoch}, which invalidates every token issued before it, and is recorded in the thread as a
     * {@code capability.revoked@v1} operation; revoking again changes nothing.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public StoredCapability revoke(String actor, String capabilityId) {
        StoredCapability found = store.find(capabilityId).orElseThrow(() -> LoomException.capabilityDenied(
                "Capability token not found: " + capabilityId, LoomException.details("capability_id", capabilityId)));
        ThreadRecord thread = threads.lock(found.threadId()).orElseThrow(() -> new IllegalStateException(
                "thread of capability " + capabilityId + " vanished"));
        Participants participants = threads.participants(thread.id());
        if (!found.token().issuedBy().equals(actor) && !participants.isActiveOwner(actor)) {
            throw LoomException.capabilityDenied("Only the issuer or a thread owner can revoke a capability token",
                    LoomException.details("capability_id", capabilityId, "actor", actor));
        }
        String now = Timestamps.now(clock);
        if (store.revoke(capabilityId, now)) {
            ThreadRecord next = thread.withCapEpoch(thread.capEpoch() + 1);
            ObjectNode parameters = LoomJson.mapper().createObjectNode();
            parameters.put("capability_id", capabilityId);
            parameters.put("revoked_by", actor);
            next = recordedOps.record(next, ThreadOpIntent.CAPABILITY_REVOKED.wireName(), parameters,
                    found.token().issuedTo());
            threads.update(next);
            auditRevoke(capabilityId, thread.id(), actor);
        }
        return store.find(capabilityId).orElseThrow();
    }

    /** Audits a revocation, whichever way it was made. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void auditRevoke(String capabilityId, String threadId, String actor) {
        ObjectNode payload = AuditTrail.payload();
        payload.put("capability_id", capabilityId);
        payload.put("thread_id", threadId);
        payload.put("actor", actor);
        audit.record("capability.revoke", payload);
    }

    /**
     * The token a thread operation presents, as its id or as the signed token itself, and the id it presented;
     * empty when nothing was presented. A signed token must carry a valid signature of this node's key: a token
     * with a signature that does not verify grants nothing, whatever its id.
     *
     * @throws LoomException {@code CAPABILITY_DENIED} for a malformed token or one whose signature fails
     */
    public Optional<Presented> presented(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return Optional.empty();
        }
        if (value.isString()) {
            String text = value.stringValue().strip();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            if (text.startsWith("{")) {
                return presented(parseHeaderToken(text));
            }
            return Optional.of(new Presented(text, store.find(text)));
        }
        CapabilityToken token = CapabilityToken.fromJson(value);
        if (!token.isSigned() || !nodeKey.keyId().equals(token.signature().keyId())
                || !CapabilityTokens.verify(value, nodeKey.verifyingKey())) {
            throw LoomException.capabilityDenied("Capability token signature verification failed",
                    LoomException.details("capability_token", token.id()));
        }
        return Optional.of(new Presented(token.id(), store.find(token.id())));
    }

    /** Every token of a thread, oldest first, for someone in the thread. */
    public List<StoredCapability> ofThread(String threadId) {
        return store.ofThread(threadId);
    }

    private static JsonNode parseHeaderToken(String text) {
        try {
            return LoomJson.parse(text);
        } catch (LoomException e) {
            throw LoomException.capabilityDenied("Capability token is malformed",
                    LoomException.details("field", "token", "reason", "must be an object"));
        }
    }

    private static CapabilityScope scope(String threadId, JsonNode given) {
        if (given == null || given.isNull()) {
            return CapabilityScope.thread(threadId);
        }
        if (!given.isObject()) {
            throw LoomException.invalid("scope must be an object", LoomException.details("field", "scope"));
        }
        ObjectNode full = ((ObjectNode) given).deepCopy();
        full.put("thread_id", threadId);
        try {
            return CapabilityToken.readScope(full);
        } catch (LoomException e) {
            throw LoomException.invalid("scope is malformed", e.details());
        }
    }

    private static String text(JsonNode value) {
        return value != null && value.isString() ? value.stringValue() : null;
    }

    private static boolean truthy(JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.doubleValue() != 0;
        }
        return !value.isString() || !value.stringValue().isEmpty();
    }

    /**
     * What a thread operation presented.
     *
     * @param id     the token id it named
     * @param stored the token the node holds under that id, if any
     */
    public record Presented(String id, Optional<StoredCapability> stored) {
    }
}
