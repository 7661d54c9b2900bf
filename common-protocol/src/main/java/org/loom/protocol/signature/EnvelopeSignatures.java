package org.loom.protocol.signature;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.json.CanonicalJson;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Signing and verifying envelopes (spec §7.2–7.3): Ed25519 over the canonical JSON of the envelope without its
 * top-level {@code signature} and {@code meta}.
 *
 * <p>The node signs the RFC 8785 form with no context. Verification also accepts what other signers produce: a
 * signature whose {@code context} is {@link #CONTEXT_V1} covers that string, one NUL byte and the canonical bytes;
 * and a signature over the legacy member order ({@link CanonicalJson#legacy}) is accepted when the RFC 8785 form
 * does not verify.
 */
public final class EnvelopeSignatures {

    /** The domain-separation context a signer may declare in {@code signature.context}. */
    public static final String CONTEXT_V1 = "LOOM-ENVELOPE-SIG-v1";

    private static final byte[] CONTEXT_V1_PREFIX = (CONTEXT_V1 + "\0").getBytes(StandardCharsets.UTF_8);

    private EnvelopeSignatures() {
    }

    /**
     * The bytes the node signs: RFC 8785 canonical JSON of the envelope minus its top-level {@code signature} and
     * {@code meta}.
     *
     * @throws org.loom.protocol.error.LoomException {@code ENVELOPE_INVALID} when the envelope has no canonical form
     *         (an unpaired surrogate, a non-finite number)
     */
    public static byte[] signedBytes(JsonNode envelope) {
        return CanonicalJson.rfc8785Bytes(unsigned(envelope));
    }

    /**
     * A copy of the envelope carrying {@code signature: {algorithm: "Ed25519", key_id, value}}. The other members
     * keep their order and values, {@code meta} included; an existing signature is replaced in place.
     */
    public static ObjectNode sign(ObjectNode unsignedEnvelope, SigningKey key, String keyId) {
        Objects.requireNonNull(key, "key");
        if (keyId == null || keyId.isEmpty()) {
            throw new IllegalArgumentException("a signature needs a key id");
        }
        EnvelopeSignature signature = new EnvelopeSignature(
                EnvelopeSignature.ED25519, keyId, key.sign(signedBytes(unsignedEnvelope)), Optional.empty());
        ObjectNode signed = unsignedEnvelope.deepCopy();
        signed.set("signature", signature.toJson());
        return signed;
    }

    /**
     * Whether the envelope's {@code signature} was made by {@code key}. False, never an exception, when the
     * signature member is missing or malformed.
     *
     * @throws org.loom.protocol.error.LoomException {@code ENVELOPE_INVALID} when the envelope itself has no RFC 8785
     *         form: an unpaired surrogate is refused even though older signers would have signed it
     */
    public static boolean verify(JsonNode envelope, VerifyingKey key) {
        Objects.requireNonNull(key, "key");
        Optional<EnvelopeSignature> signature = EnvelopeSignature.of(envelope);
        if (signature.isEmpty()) {
            return false;
        }
        EnvelopeSignature declared = signature.get();
        if (declared.context().filter(context -> !CONTEXT_V1.equals(context)).isPresent()) {
            // A context this node does not know names a message format it cannot rebuild.
            return false;
        }
        boolean withContext = declared.context().isPresent();
        ObjectNode unsigned = unsigned(envelope);
        byte[] rfc8785 = CanonicalJson.rfc8785Bytes(unsigned);
        if (key.verify(message(rfc8785, withContext), declared.value())) {
            return true;
        }
        byte[] legacy = CanonicalJson.legacyBytes(unsigned);
        return !Arrays.equals(legacy, rfc8785) && key.verify(message(legacy, withContext), declared.value());
    }

    private static byte[] message(byte[] canonical, boolean withContext) {
        if (!withContext) {
            return canonical;
        }
        byte[] message = Arrays.copyOf(CONTEXT_V1_PREFIX, CONTEXT_V1_PREFIX.length + canonical.length);
        System.arraycopy(canonical, 0, message, CONTEXT_V1_PREFIX.length, canonical.length);
        return message;
    }

    private static ObjectNode unsigned(JsonNode envelope) {
        if (!(envelope instanceof ObjectNode object)) {
            throw new IllegalArgumentException("an envelope is a JSON object");
        }
        return CanonicalJson.withoutTopLevel(object, "signature", "meta");
    }
}
