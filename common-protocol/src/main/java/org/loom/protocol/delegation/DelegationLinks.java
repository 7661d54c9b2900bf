package org.loom.protocol.delegation;

import java.time.Clock;
import java.util.Objects;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.crypto.Signature;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.CanonicalJson;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Signing delegation links, checking their signatures, and building the stored form of a new delegation.
 */
public final class DelegationLinks {

    private DelegationLinks() {
    }

    /**
     * Signs a link: the signature is made over the RFC 8785 canonical JSON of the object without any top-level
     * {@code signature}, and added as a base64url string. The input is left unchanged.
     */
    public static ObjectNode sign(ObjectNode unsignedLink, SigningKey delegatorKey) {
        ObjectNode unsigned = CanonicalJson.withoutTopLevel(unsignedLink, "signature");
        Signature signature = delegatorKey.sign(CanonicalJson.rfc8785Bytes(unsigned));
        ObjectNode signed = unsigned.deepCopy();
        signed.put("signature", signature.base64Url());
        return signed;
    }

    /**
     * True when the link's {@code signature} string verifies with the key over the link as given minus that field.
     * The RFC 8785 form is tried first, then the key order of links signed by older nodes.
     */
    public static boolean isSignedBy(JsonNode link, VerifyingKey key) {
        if (link == null || !link.isObject()) {
            return false;
        }
        JsonNode value = link.get("signature");
        if (value == null || !value.isString()) {
            return false;
        }
        return Signature.tryParse(value.stringValue()).map(signature -> {
            ObjectNode unsigned = CanonicalJson.withoutTopLevel((ObjectNode) link, "signature");
            return key.verify(CanonicalJson.rfc8785Bytes(unsigned), signature)
                    || key.verify(CanonicalJson.legacyBytes(unsigned), signature);
        }).orElse(false);
    }

    /**
     * The stored form of a delegation created through the API: exactly the ten fields and the signature, in their
     * fixed order, with the node's defaults for what the request leaves out (a new id, the actor as delegator, now,
     * no expiry, revocable, no sub-delegation, depth 0, no key id). Other request fields are dropped. The delegator
     * must have signed this form, defaults included, so clients supply {@code id} and {@code created_at}
     * themselves.
     */
    public static ObjectNode fromCreateRequest(JsonNode request, String actor, Clock clock) {
        Objects.requireNonNull(actor, "actor");
        JsonNode body = request != null && request.isObject() ? request : JsonNodeFactory.instance.objectNode();
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode link = nodes.objectNode();
        link.set("id", truthy(body.get("id")) ? body.get("id").deepCopy()
                : nodes.stringNode(LoomIds.next(IdPrefix.DELEGATION)));
        link.set("delegator", truthy(body.get("delegator")) ? body.get("delegator").deepCopy()
                : nodes.stringNode(actor));
        copyIfPresent(body, link, "delegate");
        copyIfPresent(body, link, "scope");
        link.set("created_at", truthy(body.get("created_at")) ? body.get("created_at").deepCopy()
                : nodes.stringNode(Timestamps.now(clock)));
        link.set("expires_at", truthy(body.get("expires_at")) ? body.get("expires_at").deepCopy() : nodes.nullNode());
        link.set("revocable", present(body.get("revocable")) ? body.get("revocable").deepCopy()
                : nodes.booleanNode(true));
        link.set("allow_sub_delegation", present(body.get("allow_sub_delegation"))
                ? body.get("allow_sub_delegation").deepCopy() : nodes.booleanNode(false));
        link.set("max_sub_delegation_depth", present(body.get("max_sub_delegation_depth"))
                ? body.get("max_sub_delegation_depth").deepCopy() : nodes.numberNode(0));
        link.set("key_id", truthy(body.get("key_id")) ? body.get("key_id").deepCopy() : nodes.nullNode());
        copyIfPresent(body, link, "signature");
        return link;
    }

    private static void copyIfPresent(JsonNode body, ObjectNode link, String field) {
        if (present(body.get(field))) {
            link.set(field, body.get(field).deepCopy());
        }
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull() && !value.isMissingNode();
    }

    // Request fields that are empty, zero or false count as not given, the way clients of the protocol expect.
    private static boolean truthy(JsonNode value) {
        if (!present(value)) {
            return false;
        }
        if (value.isString()) {
            return !value.stringValue().isEmpty();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.doubleValue() != 0.0;
        }
        return true;
    }
}
