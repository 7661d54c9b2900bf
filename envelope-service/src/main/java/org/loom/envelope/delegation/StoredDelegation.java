package org.loom.envelope.delegation;

import java.util.Objects;
import java.util.Optional;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A delegation recorded with the node.
 *
 * @param id        {@code dlg_} id
 * @param delegator the identity that granted it
 * @param delegate  the identity that received it
 * @param linkJson  the signed link exactly as verified
 * @param revoked   whether it was revoked
 * @param revokedAt when, as recorded
 */
public record StoredDelegation(String id, String delegator, String delegate, String linkJson, boolean revoked,
        Optional<String> revokedAt) {

    public StoredDelegation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delegator, "delegator");
        Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(linkJson, "linkJson");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    /** The signed link followed by {@code revoked} and {@code revoked_at}. */
    public ObjectNode toJson() {
        ObjectNode json = (ObjectNode) LoomJson.parse(linkJson);
        json.put("revoked", revoked);
        json.put("revoked_at", revokedAt.orElse(null));
        return json;
    }

    /** Whether the delegator may revoke it: every link may be revoked unless it says {@code revocable: false}. */
    public boolean revocable() {
        JsonNode revocable = LoomJson.parse(linkJson).path("revocable");
        return !revocable.isBoolean() || revocable.booleanValue();
    }
}
