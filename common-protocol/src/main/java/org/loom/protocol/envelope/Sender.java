package org.loom.protocol.envelope;

import java.util.Objects;
import java.util.Optional;
import org.loom.protocol.address.LoomAddress;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * An envelope's {@code from}: who signed it, with which key, and as what kind of party.
 *
 * @param identity        the sender's address
 * @param display         the display name the sender gave, or {@code null} when it gave none (or not as text)
 * @param keyId           the key the sender names in {@code from.key_id}
 * @param type            what kind of party the sender is
 * @param delegationChain {@code from.delegation_chain} as sent, or a missing node; always an array for agents
 */
public record Sender(LoomAddress identity, String display, String keyId, SenderType type, JsonNode delegationChain) {

    public Sender {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(type, "type");
        delegationChain = delegationChain == null ? MissingNode.getInstance() : delegationChain.deepCopy();
    }

    /** The display name, when the sender gave one. */
    public Optional<String> displayName() {
        return Optional.ofNullable(display);
    }

    /** A copy of the delegation chain: the record stays immutable whatever the caller does with it. */
    @Override
    public JsonNode delegationChain() {
        return delegationChain.deepCopy();
    }

    /** True for agent senders, whose envelopes need a verified delegation chain. */
    public boolean isAgent() {
        return type == SenderType.AGENT;
    }
}
