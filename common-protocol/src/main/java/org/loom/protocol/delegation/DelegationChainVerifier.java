package org.loom.protocol.delegation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.envelope.Envelope;
import org.loom.protocol.envelope.Sender;
import org.loom.protocol.error.LoomException;
import tools.jackson.databind.JsonNode;

/**
 * Verifies delegation links and the chain an agent envelope carries in {@code from.delegation_chain} (spec §13.3).
 * Every failure is a 403 {@code DELEGATION_INVALID}.
 *
 * <p>Each link must be well formed, signed by a key of its delegator, unexpired and unrevoked. From the second link
 * on, the link's delegator must be the previous link's delegate, and sub-delegation is checked against the earlier
 * links. The leaf's delegate must be the sender and its scope must allow the envelope's action.
 *
 * <p>Three spec rules are enforced that a permissive node would skip:
 * <ul>
 *   <li>a sub-delegation's scope must be a <em>strict</em> subset of its parent's (spec §13.2): handing on the same
 *       scope is refused as an escalation;</li>
 *   <li>{@code *} is only valid in the root link (spec §13.2);</li>
 *   <li>each link's {@code max_sub_delegation_depth} bounds how many links may follow it (spec §13.1).</li>
 * </ul>
 * A link's key id selects among the delegator's own keys only; a key registered to another identity never signs for
 * the delegator.
 */
public final class DelegationChainVerifier {

    private final DelegationDirectory directory;
    private final Clock clock;

    public DelegationChainVerifier(DelegationDirectory directory, Clock clock) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Checks one link on its own: shape, delegator, signing key and signature. Expiry and revocation are chain
     * concerns, checked by {@link #verifyChain}.
     */
    public DelegationLink verifyLink(JsonNode json) {
        DelegationLink link = DelegationLink.fromJson(json);
        if (!directory.isKnownIdentity(link.delegator())) {
            throw LoomException.delegationInvalid("Delegator identity not found: " + link.delegator(),
                    LoomException.details("delegator", link.delegator()));
        }
        VerifyingKey key = signingKey(link);
        if (!DelegationLinks.isSignedBy(link.source(), key)) {
            throw LoomException.delegationInvalid("Delegation signature verification failed",
                    LoomException.details("delegation_id", link.id()));
        }
        return link;
    }

    /**
     * Verifies the delegation chain of an envelope from an agent and returns its links, root first. Senders of other
     * types act under their own authority and have no chain to verify: the result is empty. (Whether the declared
     * sender type matches the registered identity is checked where identities are known.)
     */
    public List<DelegationLink> verifyChain(Envelope envelope) {
        Sender from = envelope.from();
        if (!from.isAgent()) {
            return List.of();
        }
        return verifyChain(from.identity().toString(), DelegationScope.envelopeAction(envelope),
                from.delegationChain());
    }

    /**
     * Verifies the chain of an agent envelope and returns its links, root first.
     *
     * @param sender the envelope's {@code from.identity}
     * @param action the envelope's action ({@link DelegationScope#envelopeAction})
     * @param chain  the envelope's {@code from.delegation_chain}
     */
    public List<DelegationLink> verifyChain(String sender, String action, JsonNode chain) {
        if (chain == null || !chain.isArray() || chain.isEmpty()) {
            throw LoomException.delegationInvalid("Agent envelope requires non-empty delegation_chain",
                    LoomException.details("field", "from.delegation_chain"));
        }
        Instant now = clock.instant();
        List<DelegationLink> links = new ArrayList<>(chain.size());
        for (int index = 0; index < chain.size(); index++) {
            DelegationLink link = verifyLinkAt(chain.get(index), index);
            if (link.isExpiredAt(now)) {
                throw failure("Delegation link expired", index, "delegate", link.delegate());
            }
            if (directory.isRevoked(link.id())) {
                throw failure("Delegation link has been revoked", index, "delegation_id", link.id());
            }
            if (index > 0) {
                checkSubDelegation(links, link, index);
            }
            links.add(link);
        }
        DelegationLink leaf = links.get(links.size() - 1);
        if (!leaf.delegate().equals(sender)) {
            throw LoomException.delegationInvalid("Delegation chain leaf must match envelope sender identity",
                    LoomException.details("sender", sender, "delegate", leaf.delegate()));
        }
        if (!DelegationScope.allows(leaf.scope(), action)) {
            throw LoomException.delegationInvalid("Delegation scope does not permit envelope action",
                    LoomException.details("sender", sender, "action", action));
        }
        return List.copyOf(links);
    }

    private void checkSubDelegation(List<DelegationLink> earlier, DelegationLink link, int index) {
        DelegationLink parent = earlier.get(index - 1);
        if (!parent.delegate().equals(link.delegator())) {
            throw failure("Delegation chain continuity violation", index,
                    "expected_delegator", parent.delegate(), "delegator", link.delegator());
        }
        if (DelegationScope.containsAll(link.scope())) {
            throw failure("Delegation scope \"*\" is only valid in the root link", index, "scope", link.scope());
        }
        if (!DelegationScope.isStrictSubset(link.scope(), parent.scope())) {
            throw failure("Delegation scope escalation detected", index,
                    "child_scope", link.scope(), "parent_scope", parent.scope());
        }
        if (!parent.allowSubDelegation()) {
            throw failure("Sub-delegation forbidden by parent delegation", index, "parent_index", index - 1);
        }
        for (int ancestor = 0; ancestor < index; ancestor++) {
            int limit = earlier.get(ancestor).maxSubDelegationDepth();
            if (index - ancestor > limit) {
                throw failure("Delegation chain exceeds max_sub_delegation_depth", index,
                        "limiting_index", ancestor, "max_sub_delegation_depth", limit);
            }
        }
    }

    private DelegationLink verifyLinkAt(JsonNode json, int index) {
        try {
            return verifyLink(json);
        } catch (LoomException e) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("index", index);
            details.putAll(e.details());
            throw new LoomException(e.code(), e.getMessage(), details, e);
        }
    }

    private VerifyingKey signingKey(DelegationLink link) {
        String keyId = link.keyId();
        if (keyId == null) {
            List<String> keyIds = directory.signingKeyIds(link.delegator());
            if (keyIds.size() > 1) {
                throw LoomException.delegationInvalid(
                        "Delegation must include key_id when delegator has multiple signing keys",
                        LoomException.details("delegator", link.delegator()));
            }
            if (keyIds.isEmpty()) {
                throw LoomException.delegationInvalid("Delegator has no signing key: " + link.delegator(),
                        LoomException.details("delegator", link.delegator()));
            }
            keyId = keyIds.get(0);
        }
        String selected = keyId;
        return directory.signingKey(link.delegator(), selected).orElseThrow(() -> LoomException.delegationInvalid(
                "Delegation signing key not found: " + selected, LoomException.details("key_id", selected)));
    }

    private static LoomException failure(String message, int index, Object... more) {
        Object[] pairs = new Object[more.length + 2];
        pairs[0] = "index";
        pairs[1] = index;
        System.arraycopy(more, 0, pairs, 2, more.length);
        return LoomException.delegationInvalid(message, LoomException.details(pairs));
    }
}
