package org.loom.protocol.federation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.loom.protocol.error.LoomException;

/**
 * The five LOOM-HTTP-SIG-1 header values of a signed request, as sent or as received.
 *
 * @param nodeId    {@code x-loom-node}
 * @param timestamp {@code x-loom-timestamp}
 * @param nonce     {@code x-loom-nonce}
 * @param keyId     {@code x-loom-key-id}
 * @param signature {@code x-loom-signature}, base64url text
 */
public record SignedRequestHeaders(String nodeId, String timestamp, String nonce, String keyId, String signature) {

    public SignedRequestHeaders {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(signature, "signature");
    }

    /**
     * Reads the headers of a received request.
     *
     * @param header looks a header up by its lower-case name; returns {@code null} when the request lacks it
     * @throws LoomException 401 {@code SIGNATURE_INVALID} "Missing required federation signature headers" when any
     *         of the five is missing or empty, with the list of required header names
     */
    public static SignedRequestHeaders read(Function<String, String> header) {
        List<String> values = new ArrayList<>(HttpSignature.REQUIRED_HEADERS.size());
        for (String name : HttpSignature.REQUIRED_HEADERS) {
            String value = header.apply(name);
            if (value == null || value.isEmpty()) {
                throw LoomException.signatureInvalid("Missing required federation signature headers",
                        LoomException.details("required_headers", HttpSignature.REQUIRED_HEADERS));
            }
            values.add(value);
        }
        return new SignedRequestHeaders(values.get(0), values.get(1), values.get(2), values.get(3), values.get(4));
    }

    /** The headers by name, in protocol order, ready to set on an outgoing request. */
    public Map<String, String> asMap() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HttpSignature.NODE, nodeId);
        headers.put(HttpSignature.TIMESTAMP, timestamp);
        headers.put(HttpSignature.NONCE, nonce);
        headers.put(HttpSignature.KEY_ID, keyId);
        headers.put(HttpSignature.SIGNATURE, signature);
        return Collections.unmodifiableMap(headers);
    }
}
