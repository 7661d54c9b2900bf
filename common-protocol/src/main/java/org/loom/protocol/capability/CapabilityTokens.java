package org.loom.protocol.capability;

import java.util.Objects;
import org.loom.protocol.crypto.Signature;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.json.CanonicalJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Signing and offline verification of capability tokens. The signature is Ed25519 over the canonical JSON of the
 * token without its top-level {@code signature} member.
 */
public final class CapabilityTokens {

    private CapabilityTokens() {
    }

    /** Signs a token with the node's key; any signature the token already had is replaced. */
    public static CapabilityToken sign(CapabilityToken token, SigningKey nodeKey, String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        CapabilityToken unsigned = token.unsigned();
        Signature signature = nodeKey.sign(CanonicalJson.rfc8785Bytes(unsigned.toJson()));
        return unsigned.withSignature(new TokenSignature(TokenSignature.ED25519, keyId, signature));
    }

    /**
     * True when the token, exactly as given, carries an Ed25519 signature that verifies with the key. The RFC 8785
     * form is tried first, then the key order older nodes signed with. Which key to use is the caller's choice (the
     * issuing node's key named by {@code signature.key_id}).
     */
    public static boolean verify(JsonNode token, VerifyingKey key) {
        if (token == null || !token.isObject()) {
            return false;
        }
        JsonNode block = token.get("signature");
        if (block == null || !block.isObject()) {
            return false;
        }
        JsonNode algorithm = block.get("algorithm");
        JsonNode value = block.get("value");
        if (algorithm == null || !TokenSignature.ED25519.equals(algorithm.asString(""))
                || value == null || !value.isString()) {
            return false;
        }
        return Signature.tryParse(value.stringValue()).map(signature -> {
            ObjectNode unsigned = CanonicalJson.withoutTopLevel((ObjectNode) token, "signature");
            return key.verify(CanonicalJson.rfc8785Bytes(unsigned), signature)
                    || key.verify(CanonicalJson.legacyBytes(unsigned), signature);
        }).orElse(false);
    }

    /** {@link #verify(JsonNode, VerifyingKey)} for a token already read. */
    public static boolean verify(CapabilityToken token, VerifyingKey key) {
        return token.isSigned() && verify(token.toJson(), key);
    }
}
