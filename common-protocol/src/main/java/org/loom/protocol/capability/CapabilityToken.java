package org.loom.protocol.capability;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.loom.protocol.address.LoomAddress;
import org.loom.protocol.crypto.Signature;
import org.loom.protocol.envelope.Priority;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A capability token (spec §12.1): a grant of thread rights from one identity to another, signed by the issuing node
 * so that any node can check it without asking the issuer.
 *
 * <p>Grants are kept as the wire strings they were issued with (trimmed, duplicates and blanks dropped), because an
 * issuer may name grants this node does not know; {@link Grant} names the known ones.
 *
 * @param loom       protocol version, {@code 1.1}
 * @param id         {@code cap_} id
 * @param issuedBy   the identity that issued the token
 * @param issuedTo   the only identity that may use it
 * @param createdAt  issue time, as written
 * @param expiresAt  expiry, as written, or {@code null} for none
 * @param singleUse  whether the token is spent by its first successful use
 * @param epoch      the thread's capability epoch when the token was issued
 * @param grants     the granted rights
 * @param scope      what the token is limited to
 * @param signature  the issuing node's signature, or {@code null} for a token not yet signed
 */
public record CapabilityToken(
        String loom,
        String id,
        String issuedBy,
        String issuedTo,
        String createdAt,
        String expiresAt,
        boolean singleUse,
        long epoch,
        List<String> grants,
        CapabilityScope scope,
        TokenSignature signature) {

    /** The protocol version tokens carry. */
    public static final String LOOM_VERSION = "1.1";

    public CapabilityToken {
        Objects.requireNonNull(loom, "loom");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(issuedBy, "issuedBy");
        Objects.requireNonNull(issuedTo, "issuedTo");
        Objects.requireNonNull(createdAt, "createdAt");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative");
        }
        grants = List.copyOf(grants);
        Objects.requireNonNull(scope, "scope");
    }

    /** The thread the token is for. */
    public String threadId() {
        return scope.threadId();
    }

    /** True once the node's signature is attached. */
    public boolean isSigned() {
        return signature != null;
    }

    /** The same token with a signature attached (or replaced). */
    public CapabilityToken withSignature(TokenSignature newSignature) {
        return new CapabilityToken(loom, id, issuedBy, issuedTo, createdAt, expiresAt, singleUse, epoch, grants, scope,
                Objects.requireNonNull(newSignature, "newSignature"));
    }

    /** The same token without its signature: the form that is signed. */
    public CapabilityToken unsigned() {
        return new CapabilityToken(loom, id, issuedBy, issuedTo, createdAt, expiresAt, singleUse, epoch, grants, scope,
                null);
    }

    /** The expiry instant, or empty when the token does not expire. */
    public Optional<Instant> expiry() {
        return expiresAt == null ? Optional.empty() : Timestamps.parse(expiresAt);
    }

    /**
     * True when the token has expired at the given instant; it is no longer valid at its expiry instant. An expiry
     * that cannot be read counts as passed.
     */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && Timestamps.parse(expiresAt).map(expiry -> !expiry.isAfter(now)).orElse(true);
    }

    /** True when the token's grants include the required one, directly or through {@code admin}. */
    public boolean hasGrant(String requiredGrant) {
        return Grant.isGranted(grants, requiredGrant);
    }

    /**
     * The token in wire form, members in spec order. Every scope member is written, {@code null} when unrestricted,
     * so a token always has the same shape; the signature is left out while there is none.
     */
    public ObjectNode toJson() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode out = nodes.objectNode();
        out.put("loom", loom);
        out.put("id", id);
        out.put("issued_by", issuedBy);
        out.put("issued_to", issuedTo);
        out.put("created_at", createdAt);
        if (expiresAt == null) {
            out.putNull("expires_at");
        } else {
            out.put("expires_at", expiresAt);
        }
        out.put("single_use", singleUse);
        out.put("epoch", epoch);
        ArrayNode grantArray = out.putArray("grants");
        grants.forEach(grantArray::add);
        ObjectNode scopeNode = out.putObject("scope");
        scopeNode.put("thread_id", scope.threadId());
        if (scope.envelopeTypes() == null) {
            scopeNode.putNull("envelope_types");
        } else {
            ArrayNode types = scopeNode.putArray("envelope_types");
            scope.envelopeTypes().forEach(types::add);
        }
        if (scope.maxDepth() == null) {
            scopeNode.putNull("max_depth");
        } else {
            scopeNode.put("max_depth", scope.maxDepth().intValue());
        }
        if (scope.maxPriority() == null) {
            scopeNode.putNull("max_priority");
        } else {
            scopeNode.put("max_priority", scope.maxPriority().wireName());
        }
        if (scope.externalDomains() == null) {
            scopeNode.putNull("external_domains");
        } else {
            scopeNode.put("external_domains", scope.externalDomains());
        }
        if (signature != null) {
            ObjectNode sig = out.putObject("signature");
            sig.put("algorithm", signature.algorithm());
            sig.put("key_id", signature.keyId());
            sig.put("value", signature.value().base64Url());
        }
        return out;
    }

    /**
     * Reads a token. A token that does not have the spec's shape is refused with 403 {@code CAPABILITY_DENIED}
     * "Capability token is malformed" and the offending field: a presented token that cannot be read grants nothing.
     * This does not check the signature; see {@link CapabilityTokens#verify}.
     */
    public static CapabilityToken fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw malformed("token", "must be an object");
        }
        String loom = requiredText(json, "loom");
        if (!LOOM_VERSION.equals(loom)) {
            throw malformed("loom", "must be \"1.1\"");
        }
        String id = requiredText(json, "id");
        if (!LoomIds.isValid(IdPrefix.CAPABILITY, id)) {
            throw malformed("id", "must be cap_ + ULID");
        }
        String issuedBy = identity(json, "issued_by");
        String issuedTo = identity(json, "issued_to");
        String createdAt = requiredText(json, "created_at");
        if (!Timestamps.isValid(createdAt)) {
            throw malformed("created_at", "must be an RFC 3339 timestamp");
        }
        String expiresAt = null;
        JsonNode expires = json.get("expires_at");
        if (expires != null && !expires.isNull()) {
            expiresAt = expires.isString() ? expires.stringValue() : null;
            if (!Timestamps.isValid(expiresAt)) {
                throw malformed("expires_at", "must be null or an RFC 3339 timestamp");
            }
        }
        boolean singleUse = false;
        JsonNode single = json.get("single_use");
        if (single != null && !single.isNull()) {
            if (!single.isBoolean()) {
                throw malformed("single_use", "must be a boolean");
            }
            singleUse = single.booleanValue();
        }
        JsonNode epochNode = json.get("epoch");
        if (epochNode == null || !epochNode.isIntegralNumber() || !epochNode.canConvertToLong()
                || epochNode.longValue() < 0) {
            throw malformed("epoch", "must be a non-negative integer");
        }
        List<String> grants = normalizeGrants(json.get("grants"));
        CapabilityScope scope = readScope(json.get("scope"));
        TokenSignature signature = signature(json.get("signature"));
        return new CapabilityToken(loom, id, issuedBy, issuedTo, createdAt, expiresAt, singleUse,
                epochNode.longValue(), grants, scope, signature);
    }

    /**
     * Normalises requested grants: trimmed, blanks and duplicates dropped, order kept.
     *
     * @throws LoomException {@code CAPABILITY_DENIED} when the value is not an array of strings with at least one
     *         non-blank entry
     */
    public static List<String> normalizeGrants(JsonNode value) {
        if (value == null || !value.isArray()) {
            throw malformed("grants", "must be a non-empty array of strings");
        }
        Set<String> grants = new LinkedHashSet<>();
        for (JsonNode entry : value) {
            if (!entry.isString()) {
                throw malformed("grants", "must be a non-empty array of strings");
            }
            String grant = entry.stringValue().trim();
            if (!grant.isEmpty()) {
                grants.add(grant);
            }
        }
        if (grants.isEmpty()) {
            throw malformed("grants", "must be a non-empty array of strings");
        }
        return List.copyOf(grants);
    }

    /**
     * Reads a token's {@code scope} object; its failures are those of {@link #fromJson} (403, field
     * {@code scope...}).
     */
    public static CapabilityScope readScope(JsonNode value) {
        if (value == null || !value.isObject()) {
            throw malformed("scope", "must be an object");
        }
        String threadId = requiredText(value, "thread_id", "scope.thread_id");
        if (!LoomIds.isValid(IdPrefix.THREAD, threadId)) {
            throw malformed("scope.thread_id", "must be thr_ + ULID");
        }
        List<String> types = null;
        JsonNode typesNode = value.get("envelope_types");
        if (typesNode != null && !typesNode.isNull()) {
            if (!typesNode.isArray()) {
                throw malformed("scope.envelope_types", "must be null or an array of strings");
            }
            types = new ArrayList<>();
            for (JsonNode entry : typesNode) {
                if (!entry.isString()) {
                    throw malformed("scope.envelope_types", "must be null or an array of strings");
                }
                types.add(entry.stringValue());
            }
        }
        Integer maxDepth = null;
        JsonNode depthNode = value.get("max_depth");
        if (depthNode != null && !depthNode.isNull()) {
            if (!depthNode.isIntegralNumber() || !depthNode.canConvertToInt() || depthNode.intValue() < 0) {
                throw malformed("scope.max_depth", "must be null or a non-negative integer");
            }
            maxDepth = depthNode.intValue();
        }
        Priority maxPriority = null;
        JsonNode priorityNode = value.get("max_priority");
        if (priorityNode != null && !priorityNode.isNull()) {
            maxPriority = Optional.ofNullable(priorityNode.isString() ? priorityNode.stringValue() : null)
                    .flatMap(Priority::fromWire)
                    .orElseThrow(() -> malformed("scope.max_priority", "must be null or low|normal|high|urgent"));
        }
        String external = null;
        JsonNode externalNode = value.get("external_domains");
        if (externalNode != null && !externalNode.isNull()) {
            external = externalNode.isString() ? externalNode.stringValue() : "";
            if (!external.equals("deny") && !external.equals("allow")) {
                throw malformed("scope.external_domains", "must be null, deny or allow");
            }
        }
        return new CapabilityScope(threadId, types, maxDepth, maxPriority, external);
    }

    private static TokenSignature signature(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw malformed("signature", "must be an object");
        }
        String algorithm = requiredText(value, "algorithm", "signature.algorithm");
        String keyId = requiredText(value, "key_id", "signature.key_id");
        String text = requiredText(value, "value", "signature.value");
        Signature signature = Signature.tryParse(text)
                .orElseThrow(() -> malformed("signature.value", "must be a base64url Ed25519 signature"));
        return new TokenSignature(algorithm, keyId, signature);
    }

    private static String identity(JsonNode json, String field) {
        String value = requiredText(json, field);
        if (!LoomAddress.isValid(value)) {
            throw malformed(field, "must be a loom:// or bridge:// identity");
        }
        return value;
    }

    private static String requiredText(JsonNode json, String field) {
        return requiredText(json, field, field);
    }

    private static String requiredText(JsonNode json, String member, String field) {
        JsonNode value = json.get(member);
        if (value == null || !value.isString() || value.stringValue().isEmpty()) {
            throw malformed(field, "must be a non-empty string");
        }
        return value.stringValue();
    }

    private static LoomException malformed(String field, String reason) {
        return LoomException.capabilityDenied("Capability token is malformed",
                LoomException.details("field", field, "reason", reason));
    }
}
