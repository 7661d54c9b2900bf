package org.loom.protocol.envelope;

import static org.loom.protocol.envelope.JsonValues.isNonEmptyString;
import static org.loom.protocol.envelope.JsonValues.isNullish;
import static org.loom.protocol.envelope.JsonValues.isObject;
import static org.loom.protocol.envelope.JsonValues.isSet;
import static org.loom.protocol.envelope.JsonValues.isString;
import static org.loom.protocol.envelope.JsonValues.member;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.loom.protocol.address.LoomAddress;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks the shape of an envelope before anything else looks at it, and reports every problem at once.
 *
 * <p>Errors come in wire order: {@code loom}, {@code id}, {@code thread_id}, {@code parent_id}, {@code type},
 * {@code from}, {@code to}, {@code audience}, {@code created_at}, {@code expires_at}, {@code priority},
 * {@code content}, {@code attachments}, {@code signature}, and then the per-type content rules of spec §9.2. Each is
 * a {@code field}/{@code reason} pair with the exact strings clients already match on.
 *
 * <p>Only shape is checked here. A well-formed but wrongly signed envelope passes; signatures, delegation chains and
 * thread permissions are later stages, so that a malformed envelope is a 400 and never a 401.
 */
public final class EnvelopeValidator {

    static final String LOOM_VERSION = "1.1";
    static final String SIGNATURE_ALGORITHM = "Ed25519";

    private static final String IDENTITY_REASON = "must be a loom:// or bridge:// identity";
    private static final int MIN_KEY_ID_LENGTH = 3;
    private static final int MIN_SIGNATURE_VALUE_LENGTH = 10;

    private static final Pattern TASK_INTENT = Pattern.compile("task\\.[^@]+@v[0-9]+");
    // delegation.* joins the families of spec §9.2 because spec §13.4 records delegation revocations as thread ops.
    private static final Pattern THREAD_OP_INTENT =
            Pattern.compile("(?:thread|capability|delegation|encryption)\\.[^@]+@v[0-9]+");

    private EnvelopeValidator() {
    }

    /**
     * Every problem with the envelope, in wire order; empty when it is well formed. A value that is not a JSON
     * object gets the single error {@code envelope}: "must be a JSON object".
     */
    public static List<ValidationError> validate(JsonNode json) {
        if (!isObject(json)) {
            return List.of(new ValidationError("envelope", "must be a JSON object"));
        }
        List<ValidationError> errors = new ArrayList<>();
        checkHeader(json, errors);
        checkSender(member(json, "from"), errors);
        checkRecipients(member(json, "to"), errors);
        checkAudience(member(json, "audience"), errors);
        checkTimesAndPriority(json, errors);
        checkContent(member(json, "content"), errors);
        checkAttachments(member(json, "attachments"), errors);
        checkSignature(member(json, "signature"), errors);
        checkTypeRules(json, errors);
        return List.copyOf(errors);
    }

    /**
     * The typed view of a well-formed envelope.
     *
     * @throws LoomException {@code ENVELOPE_INVALID} "Envelope fails validation" with details
     *                       {@code {"errors": [{"field", "reason"}, ...]}} when it is not
     */
    public static Envelope parse(JsonNode json) {
        List<ValidationError> errors = validate(json);
        if (!errors.isEmpty()) {
            List<Map<String, Object>> details = errors.stream().map(ValidationError::toDetail).toList();
            throw new LoomException(ErrorCode.ENVELOPE_INVALID, "Envelope fails validation",
                    LoomException.details("errors", details));
        }
        return new Envelope((ObjectNode) json);
    }

    private static void checkHeader(JsonNode json, List<ValidationError> errors) {
        JsonNode loom = member(json, "loom");
        if (!isString(loom) || !LOOM_VERSION.equals(loom.stringValue())) {
            errors.add(new ValidationError("loom", "must be \"" + LOOM_VERSION + "\""));
        }
        if (!isTypedId(member(json, "id"), IdPrefix.ENVELOPE)) {
            errors.add(new ValidationError("id", "must be env_ + ULID"));
        }
        if (!isTypedId(member(json, "thread_id"), IdPrefix.THREAD)) {
            errors.add(new ValidationError("thread_id", "must be thr_ + ULID"));
        }
        JsonNode parentId = member(json, "parent_id");
        if (!isNullish(parentId) && !isTypedId(parentId, IdPrefix.ENVELOPE)) {
            errors.add(new ValidationError("parent_id", "must be env_ + ULID or null"));
        }
        if (!isNonEmptyString(member(json, "type"))) {
            errors.add(new ValidationError("type", "must be a non-empty string"));
        }
    }

    private static void checkSender(JsonNode from, List<ValidationError> errors) {
        if (!isObject(from)) {
            errors.add(new ValidationError("from", "sender object is required"));
            return;
        }
        // Identities are checked against the full address grammar (spec §6.1), not a looser pattern.
        if (!isIdentity(member(from, "identity"))) {
            errors.add(new ValidationError("from.identity", IDENTITY_REASON));
        }
        if (!hasMinLength(member(from, "key_id"), MIN_KEY_ID_LENGTH)) {
            errors.add(new ValidationError("from.key_id", "must be present"));
        }
        JsonNode type = member(from, "type");
        if (SenderType.fromWire(JsonValues.stringOrNull(type)).isEmpty()) {
            errors.add(new ValidationError("from.type", "must be one of human|agent|team|service|bridge"));
        }
        JsonNode chain = member(from, "delegation_chain");
        if (SenderType.AGENT.wireName().equals(JsonValues.stringOrNull(type)) && (chain == null || !chain.isArray())) {
            errors.add(new ValidationError("from.delegation_chain", "required for agent senders"));
        }
    }

    private static void checkRecipients(JsonNode to, List<ValidationError> errors) {
        if (to == null || !to.isArray() || to.isEmpty()) {
            errors.add(new ValidationError("to", "must contain at least one recipient"));
            return;
        }
        boolean hasPrimary = false;
        for (int i = 0; i < to.size(); i++) {
            JsonNode recipient = to.get(i);
            if (!isObject(recipient)) {
                errors.add(new ValidationError("to[" + i + "]", "recipient entry must be an object"));
                continue;
            }
            if (!isIdentity(member(recipient, "identity"))) {
                errors.add(new ValidationError("to[" + i + "].identity", IDENTITY_REASON));
            }
            String role = JsonValues.stringOrNull(member(recipient, "role"));
            if (RecipientRole.fromWire(role).isEmpty()) {
                errors.add(new ValidationError("to[" + i + "].role", "must be primary|cc|observer|bcc"));
            }
            hasPrimary |= RecipientRole.PRIMARY.wireName().equals(role);
        }
        if (!hasPrimary) {
            errors.add(new ValidationError("to", "must include at least one primary recipient"));
        }
    }

    private static void checkAudience(JsonNode audience, List<ValidationError> errors) {
        if (isNullish(audience)) {
            return;
        }
        if (!isObject(audience)) {
            errors.add(new ValidationError("audience", "must be an object"));
            return;
        }
        String mode = JsonValues.stringOrNull(member(audience, "mode"));
        if (AudienceMode.fromWire(mode).isEmpty()) {
            errors.add(new ValidationError("audience.mode", "must be thread|recipients|custom"));
        }
        if (!AudienceMode.CUSTOM.wireName().equals(mode)) {
            return;
        }
        JsonNode identities = member(audience, "identities");
        if (identities == null || !identities.isArray() || identities.isEmpty()) {
            errors.add(new ValidationError("audience.identities", "must include identities for custom audience"));
            return;
        }
        for (int i = 0; i < identities.size(); i++) {
            if (!isIdentity(identities.get(i))) {
                errors.add(new ValidationError("audience.identities[" + i + "]", "must be valid identities"));
            }
        }
    }

    private static void checkTimesAndPriority(JsonNode json, List<ValidationError> errors) {
        // Strict RFC 3339 rather than whatever a lenient date parser accepts: ordering and expiry must not depend
        // on the server's locale or time zone.
        if (!isTimestamp(member(json, "created_at"))) {
            errors.add(new ValidationError("created_at", "must be an ISO-8601 timestamp"));
        }
        JsonNode expiresAt = member(json, "expires_at");
        if (!isNullish(expiresAt) && !isTimestamp(expiresAt)) {
            errors.add(new ValidationError("expires_at", "must be null or an ISO-8601 timestamp"));
        }
        JsonNode priority = member(json, "priority");
        if (!isNullish(priority) && Priority.fromWire(JsonValues.stringOrNull(priority)).isEmpty()) {
            errors.add(new ValidationError("priority", "must be low|normal|high|urgent"));
        }
    }

    private static void checkContent(JsonNode content, List<ValidationError> errors) {
        if (!isObject(content)) {
            errors.add(new ValidationError("content", "content object is required"));
            return;
        }
        if (isSet(member(content, "encrypted"))) {
            checkEncryptedContent(content, errors);
            return;
        }
        JsonNode human = member(content, "human");
        JsonNode structured = member(content, "structured");
        if (!isSet(human) && !isSet(structured)) {
            errors.add(new ValidationError("content",
                    "must include content.human or content.structured when not encrypted"));
        }
        if (isSet(human) && !isString(member(human, "text"))) {
            errors.add(new ValidationError("content.human.text", "must be a string"));
        }
        if (isSet(structured) && !isNonEmptyString(member(structured, "intent"))) {
            errors.add(new ValidationError("content.structured.intent", "must be a non-empty string"));
        }
    }

    private static void checkEncryptedContent(JsonNode content, List<ValidationError> errors) {
        // Encrypted content is opaque: human and structured, if any, are not read.
        if (!isSet(member(content, "profile"))) {
            errors.add(new ValidationError("content.profile", "required when content.encrypted=true"));
        }
        JsonNode epoch = member(content, "epoch");
        if (epoch == null || !epoch.isNumber() || epoch.doubleValue() < 0) {
            errors.add(new ValidationError("content.epoch", "must be a non-negative integer when encrypted"));
        }
        if (!isNonEmptyString(member(content, "ciphertext"))) {
            errors.add(new ValidationError("content.ciphertext", "required when encrypted"));
        }
    }

    private static void checkAttachments(JsonNode attachments, List<ValidationError> errors) {
        if (isNullish(attachments)) {
            return;
        }
        if (!attachments.isArray()) {
            errors.add(new ValidationError("attachments", "must be an array"));
            return;
        }
        for (int i = 0; i < attachments.size(); i++) {
            JsonNode attachment = attachments.get(i);
            String path = "attachments[" + i + "]";
            if (!isObject(attachment)) {
                errors.add(new ValidationError(path, "must be an object"));
                continue;
            }
            if (!isTypedId(member(attachment, "id"), IdPrefix.ATTACHMENT)) {
                errors.add(new ValidationError(path + ".id", "must be att_ + ULID"));
            }
            if (!isTypedId(member(attachment, "blob_id"), IdPrefix.BLOB)) {
                errors.add(new ValidationError(path + ".blob_id", "must be blob_ + ULID"));
            }
            JsonNode hash = member(attachment, "hash");
            if (!isString(hash) || !hash.stringValue().startsWith("sha256:")) {
                errors.add(new ValidationError(path + ".hash", "must use sha256:<hex> format"));
            }
        }
    }

    private static void checkSignature(JsonNode signature, List<ValidationError> errors) {
        if (!isObject(signature)) {
            errors.add(new ValidationError("signature", "signature object is required"));
            return;
        }
        JsonNode algorithm = member(signature, "algorithm");
        if (!isString(algorithm) || !SIGNATURE_ALGORITHM.equals(algorithm.stringValue())) {
            errors.add(new ValidationError("signature.algorithm", "must be Ed25519"));
        }
        if (!hasMinLength(member(signature, "key_id"), MIN_KEY_ID_LENGTH)) {
            errors.add(new ValidationError("signature.key_id", "must be present"));
        }
        if (!hasMinLength(member(signature, "value"), MIN_SIGNATURE_VALUE_LENGTH)) {
            errors.add(new ValidationError("signature.value", "must be a base64url string"));
        }
    }

    /**
     * Spec §9.2 type rules. They read cleartext content only: encrypted content cannot show its parts, and content
     * that is missing altogether is already reported. A missing intent is left to the checks that need it (the
     * structured-content rules here, the thread-op stage later); only a present intent of the wrong family is
     * reported, so one defect yields one error.
     */
    private static void checkTypeRules(JsonNode json, List<ValidationError> errors) {
        JsonNode content = member(json, "content");
        if (!isObject(content) || isSet(member(content, "encrypted"))) {
            return;
        }
        String type = JsonValues.stringOrNull(member(json, "type"));
        JsonNode structured = member(content, "structured");
        JsonNode intentNode = member(structured, "intent");
        String intent = isNonEmptyString(intentNode) ? intentNode.stringValue() : null;
        Optional<EnvelopeType> coreType = EnvelopeType.fromWire(type);
        if (coreType.isEmpty()) {
            return;
        }
        switch (coreType.get()) {
            case MESSAGE -> {
                if (!isSet(member(content, "human"))) {
                    errors.add(new ValidationError("content.human", "required for message envelopes"));
                }
            }
            case TASK -> {
                if (!isSet(structured)) {
                    errors.add(new ValidationError("content.structured", "required for task envelopes"));
                } else if (intent != null && !TASK_INTENT.matcher(intent).matches()) {
                    errors.add(new ValidationError("content.structured.intent",
                            "must be task.*@vN for task envelopes"));
                }
            }
            case RECEIPT -> {
                if (!isSet(structured)) {
                    errors.add(new ValidationError("content.structured", "required for receipt envelopes"));
                }
            }
            case THREAD_OP -> {
                if (intent != null && !THREAD_OP_INTENT.matcher(intent).matches()) {
                    errors.add(new ValidationError("content.structured.intent",
                            "must be thread.*@vN, capability.*@vN, delegation.*@vN or encryption.*@vN for thread_op envelopes"));
                }
            }
            default -> {
                // The other types put no requirement on content beyond the common rules.
            }
        }
    }

    private static boolean isTypedId(JsonNode node, IdPrefix prefix) {
        return isString(node) && LoomIds.isValid(prefix, node.stringValue());
    }

    private static boolean isIdentity(JsonNode node) {
        return isString(node) && LoomAddress.isValid(node.stringValue());
    }

    private static boolean isTimestamp(JsonNode node) {
        return isString(node) && Timestamps.isValid(node.stringValue());
    }

    private static boolean hasMinLength(JsonNode node, int minLength) {
        return isString(node) && node.stringValue().length() >= minLength;
    }
}
