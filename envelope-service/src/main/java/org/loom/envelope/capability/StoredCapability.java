package org.loom.envelope.capability;

import java.util.Objects;
import java.util.Optional;
import org.loom.protocol.capability.CapabilityToken;
import org.loom.protocol.capability.TokenState;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An issued capability token and what has happened to it since.
 *
 * @param token     the token as issued, signed
 * @param tokenJson the signed token exactly as stored (the bytes its signature covers)
 * @param revoked   whether it was revoked
 * @param revokedAt when, as recorded
 * @param spent     whether a single-use token was used
 * @param spentAt   when, as recorded
 */
public record StoredCapability(CapabilityToken token, String tokenJson, boolean revoked, Optional<String> revokedAt,
        boolean spent, Optional<String> spentAt) {

    public StoredCapability {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tokenJson, "tokenJson");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(spentAt, "spentAt");
    }

    public String id() {
        return token.id();
    }

    public String threadId() {
        return token.threadId();
    }

    public TokenState state() {
        return new TokenState(revoked, spent);
    }

    /**
     * The API view: the fields clients of the protocol know ({@code loom, id, thread_id, issued_by, issued_to,
     * created_at, expires_at, single_use, epoch, grants, revoked, revoked_at, spent, spent_at}), then {@code scope}
     * and {@code token}, the signed portable token a holder can present in full.
     */
    public ObjectNode toJson() {
        ObjectNode json = LoomJson.mapper().createObjectNode();
        json.put("loom", token.loom());
        json.put("id", token.id());
        json.put("thread_id", token.threadId());
        json.put("issued_by", token.issuedBy());
        json.put("issued_to", token.issuedTo());
        json.put("created_at", token.createdAt());
        json.put("expires_at", token.expiresAt());
        json.put("single_use", token.singleUse());
        json.put("epoch", token.epoch());
        ArrayNode grants = json.putArray("grants");
        token.grants().forEach(grants::add);
        json.put("revoked", revoked);
        json.put("revoked_at", revokedAt.orElse(null));
        json.put("spent", spent);
        json.put("spent_at", spentAt.orElse(null));
        JsonNode signed = LoomJson.parse(tokenJson);
        json.set("scope", signed.get("scope").deepCopy());
        json.set("token", signed);
        return json;
    }
}
