package org.loom.protocol.envelope;

import static org.loom.protocol.envelope.JsonValues.isNullish;
import static org.loom.protocol.envelope.JsonValues.isSet;
import static org.loom.protocol.envelope.JsonValues.member;
import static org.loom.protocol.envelope.JsonValues.stringOrNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.loom.protocol.address.LoomAddress;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A well-formed envelope: typed access to the fields the node acts on, over the JSON exactly as the sender wrote it.
 *
 * <p>The JSON is kept whole, unknown fields and key order included, because every field except {@code signature}
 * and {@code meta} is covered by the signature and the envelope must be stored and relayed as signed. The typed
 * accessors are read once from that JSON; nothing here changes it. Instances only come from
 * {@link EnvelopeValidator#parse(JsonNode)}, so every accessor can rely on the shape rules having passed.
 */
public final class Envelope {

    private final ObjectNode json;
    private final Sender from;
    private final List<Recipient> to;
    private final Audience audience;
    private final Instant createdAtInstant;

    Envelope(ObjectNode validated) {
        this.json = validated.deepCopy();
        this.from = readSender(member(json, "from"));
        this.to = readRecipients(member(json, "to"));
        this.audience = readAudience(member(json, "audience"));
        this.createdAtInstant = Timestamps.parse(createdAt()).orElseThrow();
    }

    /** {@code id}: the envelope id, {@code env_} and a ULID. */
    public String id() {
        return json.get("id").stringValue();
    }

    /** {@code thread_id}: the thread the sender placed the envelope in. */
    public String threadId() {
        return json.get("thread_id").stringValue();
    }

    /** {@code parent_id}, empty for a thread root. */
    public Optional<String> parentId() {
        return Optional.ofNullable(stringOrNull(member(json, "parent_id")));
    }

    /** {@code type}: one of {@link EnvelopeType} or any other type the sender chose. */
    public String type() {
        return json.get("type").stringValue();
    }

    /** The core type, when the envelope has one of the registry's types. */
    public Optional<EnvelopeType> coreType() {
        return EnvelopeType.fromWire(type());
    }

    /** True for thread operations, which change thread state rather than add to the conversation. */
    public boolean isThreadOp() {
        return EnvelopeType.THREAD_OP.wireName().equals(type());
    }

    /** {@code from}: who signed the envelope. */
    public Sender from() {
        return from;
    }

    /** {@code to[]} in the order sent. */
    public List<Recipient> to() {
        return to;
    }

    /** The recipients addressed as Bcc, whose identities must not be shown to the others. */
    public List<Recipient> bccRecipients() {
        return to.stream().filter(r -> r.role() == RecipientRole.BCC).toList();
    }

    /** Every recipient identity, once each, in the order of {@code to[]}. */
    public Set<String> recipientIdentities() {
        Set<String> identities = new LinkedHashSet<>();
        for (Recipient recipient : to) {
            identities.add(recipient.identity().toString());
        }
        return Collections.unmodifiableSet(identities);
    }

    /** {@code audience}, when the sender gave one. */
    public Optional<Audience> audience() {
        return Optional.ofNullable(audience);
    }

    /** {@code created_at} exactly as sent; it is signed, so it is stored and relayed in this spelling. */
    public String createdAt() {
        return json.get("created_at").stringValue();
    }

    /** {@code created_at} as an instant, for ordering and comparisons. */
    public Instant createdAtInstant() {
        return createdAtInstant;
    }

    /** {@code expires_at} as sent, when the sender set one. */
    public Optional<String> expiresAt() {
        return Optional.ofNullable(stringOrNull(member(json, "expires_at")));
    }

    /** {@code priority}, when the sender set one. */
    public Optional<Priority> priority() {
        return Priority.fromWire(stringOrNull(member(json, "priority")));
    }

    /** True when the content is end-to-end encrypted and opaque to the node. */
    public boolean encrypted() {
        return isSet(member(member(json, "content"), "encrypted"));
    }

    /** {@code content.structured.intent}, when the content carries a non-empty one. */
    public Optional<String> intent() {
        String intent = stringOrNull(member(structured(), "intent"));
        return intent == null || intent.isEmpty() ? Optional.empty() : Optional.of(intent);
    }

    /** A copy of {@code content.structured.parameters}; a missing node when there are none. */
    public JsonNode parameters() {
        return structured().path("parameters").deepCopy();
    }

    /** {@code signature.key_id}: the key the signature claims to be made with. */
    public String signatureKeyId() {
        return json.get("signature").get("key_id").stringValue();
    }

    /** A copy of the whole envelope as sent, in the sender's key order. */
    public ObjectNode json() {
        return json.deepCopy();
    }

    private JsonNode structured() {
        return json.path("content").path("structured");
    }

    private static Sender readSender(JsonNode from) {
        return new Sender(
                LoomAddress.parse(from.get("identity").stringValue()),
                stringOrNull(member(from, "display")),
                from.get("key_id").stringValue(),
                SenderType.fromWire(from.get("type").stringValue()).orElseThrow(),
                from.path("delegation_chain"));
    }

    private static List<Recipient> readRecipients(JsonNode to) {
        List<Recipient> recipients = new ArrayList<>(to.size());
        for (JsonNode entry : to) {
            recipients.add(new Recipient(
                    LoomAddress.parse(entry.get("identity").stringValue()),
                    RecipientRole.fromWire(entry.get("role").stringValue()).orElseThrow()));
        }
        return List.copyOf(recipients);
    }

    private static Audience readAudience(JsonNode audience) {
        if (isNullish(audience)) {
            return null;
        }
        List<String> identities = new ArrayList<>();
        JsonNode listed = audience.path("identities");
        if (listed.isArray()) {
            for (JsonNode identity : listed) {
                if (identity.isString()) {
                    identities.add(identity.stringValue());
                }
            }
        }
        return new Audience(AudienceMode.fromWire(audience.get("mode").stringValue()).orElseThrow(), identities);
    }

    /** Envelopes are equal when their JSON is. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Envelope that && json.equals(that.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    /** The envelope id, for logs; the content is deliberately left out. */
    @Override
    public String toString() {
        return "Envelope[" + id() + " in " + threadId() + ", type " + type() + "]";
    }
}
