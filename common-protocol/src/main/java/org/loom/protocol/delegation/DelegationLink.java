package org.loom.protocol.delegation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.loom.protocol.address.LoomAddress;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One signed link of a delegation chain (spec §13.1): the delegator hands part of its authority, the scope, to the
 * delegate.
 *
 * <p>The signature covers the link object exactly as it was received, minus its top-level {@code signature}: every
 * other field is signed, including ones this type does not model. {@link #source()} keeps that object so the
 * signature can be checked; the typed fields are a validated view of it.
 *
 * <p>Fields a link may leave out take the values a node fills in when it records a new delegation: revocable,
 * sub-delegation not allowed, depth 0, no key id.
 *
 * @param id                    the delegation id, by which the link is revoked
 * @param delegator             the identity granting authority
 * @param delegate              the identity receiving it
 * @param scope                 the scope patterns, trimmed, empty entries dropped
 * @param createdAt             when the delegation was made, as written
 * @param expiresAt             when it ends, as written, or {@code null} for never
 * @param revocable             whether the delegator may revoke it
 * @param allowSubDelegation    whether the delegate may delegate further
 * @param maxSubDelegationDepth how many links may follow this one in a chain
 * @param keyId                 the delegator's signing key, or {@code null} when the delegator has a single key
 * @param signature             the base64url Ed25519 signature, as written
 * @param source                the link object as received
 */
public record DelegationLink(
        String id,
        String delegator,
        String delegate,
        List<String> scope,
        String createdAt,
        String expiresAt,
        boolean revocable,
        boolean allowSubDelegation,
        int maxSubDelegationDepth,
        String keyId,
        String signature,
        ObjectNode source) {

    /** The wire names of the stored form, in the order it is written. */
    static final List<String> FIELDS = List.of("id", "delegator", "delegate", "scope", "created_at", "expires_at",
            "revocable", "allow_sub_delegation", "max_sub_delegation_depth", "key_id", "signature");

    public DelegationLink {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(delegator, "delegator");
        Objects.requireNonNull(delegate, "delegate");
        scope = List.copyOf(scope);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(signature, "signature");
        if (maxSubDelegationDepth < 0) {
            throw new IllegalArgumentException("maxSubDelegationDepth must not be negative");
        }
        source = Objects.requireNonNull(source, "source").deepCopy();
    }

    /** The link object as received; a copy, so the record stays immutable. */
    @Override
    public ObjectNode source() {
        return source.deepCopy();
    }

    /** The expiry instant, or empty when the link never expires. */
    public Optional<Instant> expiry() {
        return expiresAt == null ? Optional.empty() : Timestamps.parse(expiresAt);
    }

    /**
     * True when the link has expired at the given instant; a link is no longer valid at its expiry instant. An expiry
     * that cannot be read counts as passed.
     */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && Timestamps.parse(expiresAt).map(expiry -> !expiry.isAfter(now)).orElse(true);
    }

    /**
     * Reads and validates a link. Every failure is a 403 {@code DELEGATION_INVALID}.
     *
     * <p>Beyond the shape every node checks, this requires what enforcement needs: an {@code id} (revocation lists
     * are keyed by it, and a link that cannot be named cannot be revoked), a strict RFC 3339 {@code created_at}, and
     * correctly typed flags, since a flag that is not a boolean cannot be read either way safely.
     */
    public static DelegationLink fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw LoomException.delegationInvalid("Delegation link must be an object", Map.of());
        }
        ObjectNode link = (ObjectNode) json;
        String delegator = text(link, "delegator");
        if (!LoomAddress.isValid(delegator)) {
            throw invalid("Delegation link has invalid delegator identity", "delegator");
        }
        String delegate = text(link, "delegate");
        if (!LoomAddress.isValid(delegate)) {
            throw invalid("Delegation link has invalid delegate identity", "delegate");
        }
        String signature = text(link, "signature");
        if (signature == null || signature.isEmpty()) {
            throw invalid("Delegation link signature is required", "signature");
        }
        List<String> scope = scope(link.get("scope"), "scope");
        JsonNode expiresNode = link.get("expires_at");
        String expiresAt = null;
        if (expiresNode != null && !expiresNode.isNull()) {
            expiresAt = expiresNode.isString() ? expiresNode.stringValue() : null;
            if (!Timestamps.isValid(expiresAt)) {
                throw invalid("Delegation expires_at must be ISO-8601", "expires_at");
            }
        }
        String id = text(link, "id");
        if (id == null || id.isBlank()) {
            throw invalid("Delegation link id is required", "id");
        }
        String createdAt = text(link, "created_at");
        if (!Timestamps.isValid(createdAt)) {
            throw invalid("Delegation created_at must be ISO-8601", "created_at");
        }
        boolean revocable = flag(link, "revocable", true);
        boolean allowSubDelegation = flag(link, "allow_sub_delegation", false);
        int depth = depth(link);
        String keyId = keyId(link);
        return new DelegationLink(id, delegator, delegate, scope, createdAt, expiresAt, revocable, allowSubDelegation,
                depth, keyId, signature, link);
    }

    /**
     * Validates a scope value: a non-empty array of strings with at least one non-blank entry. Returns the entries
     * trimmed, blanks dropped. {@code field} names the value in the error ({@code scope}, {@code child_scope}, ...).
     */
    static List<String> scope(JsonNode value, String field) {
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw invalid(field + " must be a non-empty array", field);
        }
        List<String> patterns = new ArrayList<>();
        for (JsonNode entry : value) {
            if (!entry.isString()) {
                throw invalid(field + " entries must be strings", field);
            }
            String pattern = entry.stringValue().trim();
            if (!pattern.isEmpty()) {
                patterns.add(pattern);
            }
        }
        if (patterns.isEmpty()) {
            throw invalid(field + " must contain at least one scope", field);
        }
        return patterns;
    }

    /**
     * The link in its stored form: the ten fields and the signature, in the order of {@link #FIELDS}. Values come
     * from the source as received, so a link that was signed in this form still verifies; fields the source left out
     * are written with their defaults, and fields outside the form are dropped.
     */
    public ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String field : FIELDS) {
            JsonNode received = source.get(field);
            out.set(field, received != null ? received.deepCopy() : typedValue(field));
        }
        return out;
    }

    /** {@link #toJson()} without the signature: the object a delegator signs. */
    public ObjectNode unsignedJson() {
        ObjectNode out = toJson();
        out.remove("signature");
        return out;
    }

    private JsonNode typedValue(String field) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (field) {
            case "id" -> nodes.stringNode(id);
            case "delegator" -> nodes.stringNode(delegator);
            case "delegate" -> nodes.stringNode(delegate);
            case "scope" -> {
                ArrayNode array = nodes.arrayNode();
                scope.forEach(array::add);
                yield array;
            }
            case "created_at" -> nodes.stringNode(createdAt);
            case "expires_at" -> expiresAt == null ? nodes.nullNode() : nodes.stringNode(expiresAt);
            case "revocable" -> nodes.booleanNode(revocable);
            case "allow_sub_delegation" -> nodes.booleanNode(allowSubDelegation);
            case "max_sub_delegation_depth" -> nodes.numberNode(maxSubDelegationDepth);
            case "key_id" -> keyId == null ? nodes.nullNode() : nodes.stringNode(keyId);
            case "signature" -> nodes.stringNode(signature);
            default -> throw new IllegalArgumentException(field);
        };
    }

    private static String text(ObjectNode link, String field) {
        JsonNode value = link.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    private static boolean flag(ObjectNode link, String field, boolean absent) {
        JsonNode value = link.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isBoolean()) {
            throw invalid("Delegation " + field + " must be a boolean", field);
        }
        return value.booleanValue();
    }

    private static int depth(ObjectNode link) {
        JsonNode value = link.get("max_sub_delegation_depth");
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw invalid("Delegation max_sub_delegation_depth must be a non-negative integer",
                    "max_sub_delegation_depth");
        }
        return value.intValue();
    }

    // Older links name the key "signature_key_id"; both spellings select the delegator's key.
    private static String keyId(ObjectNode link) {
        for (String field : List.of("key_id", "signature_key_id")) {
            JsonNode value = link.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isString()) {
                throw invalid("Delegation " + field + " must be a string", field);
            }
            if (!value.stringValue().isEmpty()) {
                return value.stringValue();
            }
        }
        return null;
    }

    private static LoomException invalid(String message, String field) {
        return LoomException.delegationInvalid(message, LoomException.details("field", field));
    }
}
