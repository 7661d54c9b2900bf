package org.loom.protocol.federation;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.crypto.Signature;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.time.Timestamps;

/**
 * LOOM-HTTP-SIG-1, the signature on node-to-node requests (spec §15.3).
 *
 * <p>The signed string is five lines: the method in upper case, the request path without its query, the lowercase
 * hex SHA-256 of the exact body bytes, the timestamp header and the nonce header, both verbatim. The signature is
 * Ed25519 with the sending node's key, base64url, in {@value #SIGNATURE}.
 *
 * <p>Replay caches, rate limits and node policies are the receiving service's state and live there; this class holds
 * the pure parts: building and checking the signed string and judging timestamp freshness.
 */
public final class HttpSignature {

    /** The sending node's id. */
    public static final String NODE = "x-loom-node";
    /** When the request was signed, RFC 3339. */
    public static final String TIMESTAMP = "x-loom-timestamp";
    /** A value never reused by the sender, so a captured request cannot be replayed. */
    public static final String NONCE = "x-loom-nonce";
    /** Which of the sending node's keys signed. */
    public static final String KEY_ID = "x-loom-key-id";
    /** The base64url Ed25519 signature. */
    public static final String SIGNATURE = "x-loom-signature";
    /** A single-use token, required while the receiver demands a challenge from the sender. */
    public static final String CHALLENGE_TOKEN = "x-loom-challenge-token";

    /** The headers every signed request must carry, in the order they are reported when missing. */
    public static final List<String> REQUIRED_HEADERS = List.of(NODE, TIMESTAMP, NONCE, KEY_ID, SIGNATURE);

    /** How far a request timestamp may be from the receiver's clock, either way. */
    public static final Duration DEFAULT_FRESHNESS_WINDOW = Duration.ofMinutes(5);

    private HttpSignature() {
    }

    /**
     * The string a request signature covers.
     *
     * @param method    the HTTP method, any case
     * @param path      the request path; a query or fragment, if present, is not signed
     * @param body      the exact body bytes (an empty body hashes as the empty string)
     * @param timestamp the timestamp header value
     * @param nonce     the nonce header value
     */
    public static String signingString(String method, String path, byte[] body, String timestamp, String nonce) {
        return method.toUpperCase(Locale.ROOT) + "\n"
                + pathOnly(path) + "\n"
                + Sha256.hex(body == null ? new byte[0] : body) + "\n"
                + Objects.requireNonNull(timestamp, "timestamp") + "\n"
                + Objects.requireNonNull(nonce, "nonce");
    }

    /**
     * Signs a request now.
     *
     * @param nonce a fresh value, e.g. a new {@code nonce_} id
     */
    public static SignedRequestHeaders sign(String method, String path, byte[] body, String nodeId, String keyId,
            SigningKey nodeKey, Clock clock, String nonce) {
        String timestamp = Timestamps.now(clock);
        Signature signature = nodeKey.sign(utf8(signingString(method, path, body, timestamp, nonce)));
        return new SignedRequestHeaders(nodeId, timestamp, nonce, keyId, signature.base64Url());
    }

    /**
     * True when the signature text is a valid Ed25519 signature by the key over the request. A signature that is not
     * even well-formed is simply not valid.
     */
    public static boolean verifySignature(String method, String path, byte[] body, String timestamp, String nonce,
            String signature, VerifyingKey key) {
        Optional<Signature> parsed = Signature.tryParse(signature);
        return parsed.isPresent()
                && key.verify(utf8(signingString(method, path, body, timestamp, nonce)), parsed.get());
    }

    /** {@link #verifySignature} with the values of received headers. */
    public static boolean verifySignature(String method, String path, byte[] body, SignedRequestHeaders headers,
            VerifyingKey key) {
        return verifySignature(method, path, body, headers.timestamp(), headers.nonce(), headers.signature(), key);
    }

    /**
     * True when the timestamp is a strict RFC 3339 timestamp no further than {@code window} from now, in either
     * direction, at millisecond precision. A timestamp exactly at the edge of the window is still fresh.
     */
    public static boolean isFresh(String timestamp, Clock clock, Duration window) {
        Optional<Instant> parsed = Timestamps.parse(timestamp);
        if (parsed.isEmpty()) {
            return false;
        }
        Instant signedAt = parsed.get().truncatedTo(ChronoUnit.MILLIS);
        Duration skew = Duration.between(signedAt, clock.instant().truncatedTo(ChronoUnit.MILLIS)).abs();
        return skew.compareTo(window) <= 0;
    }

    /** {@link #isFresh(String, Clock, Duration)} with the default five-minute window. */
    public static boolean isFresh(String timestamp, Clock clock) {
        return isFresh(timestamp, clock, DEFAULT_FRESHNESS_WINDOW);
    }

    private static String pathOnly(String path) {
        Objects.requireNonNull(path, "path");
        int end = path.length();
        int query = path.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        int fragment = path.indexOf('#');
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        return path.substring(0, end);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
