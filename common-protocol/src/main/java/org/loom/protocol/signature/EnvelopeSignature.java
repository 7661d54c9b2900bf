package org.loom.protocol.signature;

import java.util.Objects;
import java.util.Optional;

import org.loom.protocol.crypto.Signature;
import org.loom.protocol.json.LoomJson;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code signature} member of an envelope: {@code {algorithm, key_id, value}} and, for signatures made over the
 * context-prefixed message, {@code context}.
 *
 * @param algorithm always {@value #ED25519}; other algorithms are not read
 * @param keyId     the signing key's id, looked up by the verifier
 * @param value     the signature bytes
 * @param context   the signature context string, when the signer used one
 */
public record EnvelopeSignature(String algorithm, String keyId, Signature value, Optional<String> context) {

    /** The only signature algorithm of the protocol. */
    public static final String ED25519 = "Ed25519";

    public EnvelopeSignature {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(context, "context");
    }

    /**
     * Reads the top-level {@code signature} of an envelope. Empty when it is absent or malformed: not an object, an
     * algorithm other than Ed25519, a missing or empty {@code key_id}, a value that is not 64 bytes of base64, or a
     * {@code context} that is not a string.
     */
    public static Optional<EnvelopeSignature> of(JsonNode envelope) {
        if (envelope == null || !envelope.isObject()) {
            return Optional.empty();
        }
        JsonNode signature = envelope.get("signature");
        if (signature == null || !signature.isObject()) {
            return Optional.empty();
        }
        String algorithm = text(signature, "algorithm");
        String keyId = text(signature, "key_id");
        if (!ED25519.equals(algorithm) || keyId == null || keyId.isEmpty()) {
            return Optional.empty();
        }
        JsonNode context = signature.get("context");
        if (context != null && !context.isString()) {
            return Optional.empty();
        }
        return Signature.tryParse(text(signature, "value"))
                .map(value -> new EnvelopeSignature(algorithm, keyId, value,
                        Optional.ofNullable(context).map(JsonNode::stringValue)));
    }

    /** The JSON form, members in the order the protocol lists them. */
    public ObjectNode toJson() {
        ObjectNode json = LoomJson.mapper().createObjectNode()
                .put("algorithm", algorithm)
                .put("key_id", keyId)
                .put("value", value.base64Url());
        context.ifPresent(text -> json.put("context", text));
        return json;
    }

    private static String text(JsonNode object, String name) {
        JsonNode member = object.get(name);
        return member != null && member.isString() ? member.stringValue() : null;
    }
}
