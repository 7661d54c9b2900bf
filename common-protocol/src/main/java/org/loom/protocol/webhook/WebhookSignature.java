package org.loom.protocol.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.crypto.Signature;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.time.Timestamps;

/**
 * The signature on webhook deliveries, so a receiver can tell a delivery came from this node and was not altered.
 *
 * <p>Every delivery is a {@code POST}; the signed string is {@code POST}, the URL path (without query), the lowercase
 * hex SHA-256 of the exact body bytes, the timestamp header and the nonce header, one per line. The signature is
 * Ed25519 with the node's key, base64url, in {@value #SIGNATURE}.
 */
public final class WebhookSignature {

    /** The audit event the delivery reports. */
    public static final String EVENT_ID = "x-loom-event-id";
    /** The outbox item being delivered; stable across retries. */
    public static final String DELIVERY_ID = "x-loom-delivery-id";
    /** The event's action, e.g. {@code federation.outbox.process.delivered}. */
    public static final String EVENT_TYPE = "x-loom-event-type";
    /** The node key that signed. */
    public static final String KEY_ID = "x-loom-key-id";
    /** When the delivery was signed, RFC 3339. */
    public static final String TIMESTAMP = "x-loom-timestamp";
    /** A value never reused, so a receiver can drop replays. */
    public static final String NONCE = "x-loom-nonce";
    /** The base64url Ed25519 signature. */
    public static final String SIGNATURE = "x-loom-signature";

    private static final String METHOD = "POST";

    private WebhookSignature() {
    }

    /** The path part of a webhook URL as signed: percent-escapes kept, {@code /} for a bare origin. */
    public static String signedPath(URI url) {
        String path = url.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    /** The string a delivery signature covers. */
    public static String signingString(String urlPath, byte[] body, String timestamp, String nonce) {
        return METHOD + "\n"
                + Objects.requireNonNull(urlPath, "urlPath") + "\n"
                + Sha256.hex(body == null ? new byte[0] : body) + "\n"
                + Objects.requireNonNull(timestamp, "timestamp") + "\n"
                + Objects.requireNonNull(nonce, "nonce");
    }

    /**
     * Signs a delivery now and returns its headers.
     *
     * @param nonce a fresh value, e.g. a new {@code wh_} id
     */
    public static WebhookHeaders sign(URI url, byte[] body, WebhookEvent event, String keyId, SigningKey nodeKey,
            Clock clock, String nonce) {
        String timestamp = Timestamps.now(clock);
        Signature signature = nodeKey.sign(utf8(signingString(signedPath(url), body, timestamp, nonce)));
        return new WebhookHeaders(event.eventId(), event.deliveryId(), event.eventType(), keyId, timestamp, nonce,
                signature.base64Url());
    }

    /** True when the signature text is a valid signature by the key over the delivery. */
    public static boolean verify(String urlPath, byte[] body, String timestamp, String nonce, String signature,
            VerifyingKey key) {
        return Signature.tryParse(signature)
                .map(parsed -> key.verify(utf8(signingString(urlPath, body, timestamp, nonce)), parsed))
                .orElse(false);
    }

    /** {@link #verify(String, byte[], String, String, String, VerifyingKey)} with received headers. */
    public static boolean verify(String urlPath, byte[] body, WebhookHeaders headers, VerifyingKey key) {
        return verify(urlPath, body, headers.timestamp(), headers.nonce(), headers.signature(), key);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
