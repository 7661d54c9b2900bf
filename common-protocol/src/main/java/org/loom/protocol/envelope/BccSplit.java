package org.loom.protocol.envelope;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How an envelope with Bcc recipients is delivered (spec §8.3, §20.6): one visible envelope for everyone else, and
 * one bcc copy per Bcc recipient.
 *
 * <p>The visible envelope keeps the original id and everything the sender wrote except the Bcc entries of
 * {@code to[]}. Each copy gets a new id in the same thread and under the same parent; its {@code to[]} holds the open
 * recipients and its own Bcc recipient (as an email Bcc recipient sees To and Cc and knows it was blind-copied, but
 * never sees the other Bcc recipients); it has the custom audience {sender, that recipient} and names the visible
 * envelope in {@code references.linked_envelopes}.
 *
 * <p>The sender's signature covers the Bcc list, so neither the visible envelope nor a copy can carry it without
 * revealing that list; both are node-made and leave {@code signature} out. {@code meta.node_derived} says so and, for
 * a copy, which envelope it was made from. The node verified the sender's signature over the original before
 * splitting it, and keeps the original for the sender.
 *
 * @param visible the envelope the thread sees
 * @param copies  one per distinct Bcc identity that is not also addressed openly (or the sender), in {@code to[]} order
 */
public record BccSplit(ObjectNode visible, List<BccCopy> copies) {

    /** {@code meta.node_derived.reason} of the visible envelope. */
    public static final String REDACTED = "bcc_redaction";
    /** {@code meta.node_derived.reason} of a bcc copy. */
    public static final String COPY = "bcc_copy";

    public BccSplit {
        Objects.requireNonNull(visible, "visible");
        copies = List.copyOf(copies);
    }

    /**
     * One bcc copy.
     *
     * @param recipient the Bcc recipient it is for
     * @param json      the copy
     */
    public record BccCopy(String recipient, ObjectNode json) {

        public BccCopy {
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(json, "json");
        }

        /** The copy's envelope id. */
        public String id() {
            return json.get("id").stringValue();
        }
    }

    /**
     * The split of an envelope that has Bcc recipients; empty when it has none.
     *
     * @param newEnvelopeId gives a fresh {@code env_} id for each copy
     */
    public static Optional<BccSplit> of(Envelope envelope, Supplier<String> newEnvelopeId) {
        List<Recipient> bcc = envelope.bccRecipients();
        if (bcc.isEmpty()) {
            return Optional.empty();
        }
        String sender = envelope.from().identity().toString();
        Set<String> open = EnvelopeAudience.visibleRecipients(envelope);
        Set<String> hidden = new LinkedHashSet<>();
        for (Recipient recipient : bcc) {
            String identity = recipient.identity().toString();
            if (!identity.equals(sender) && !open.contains(identity)) {
                hidden.add(identity);
            }
        }

        ObjectNode visible = envelope.json().deepCopy();
        visible.set("to", openRecipients(envelope));
        visible.remove("signature");
        derivedMeta(visible).put("reason", REDACTED);

        List<BccCopy> copies = new ArrayList<>();
        for (String recipient : hidden) {
            ObjectNode copy = envelope.json().deepCopy();
            copy.put("id", newEnvelopeId.get());
            ArrayNode to = openRecipients(envelope);
            to.addObject().put("identity", recipient).put("role", RecipientRole.BCC.wireName());
            copy.set("to", to);
            ObjectNode audience = copy.putObject("audience");
            audience.put("mode", AudienceMode.CUSTOM.wireName());
            audience.putArray("identities").add(sender).add(recipient);
            JsonNode references = copy.get("references");
            ObjectNode refs = references instanceof ObjectNode object ? object : copy.putObject("references");
            JsonNode linked = refs.get("linked_envelopes");
            ArrayNode links = linked instanceof ArrayNode array ? array : refs.putArray("linked_envelopes");
            links.add(envelope.id());
            copy.remove("signature");
            ObjectNode derived = derivedMeta(copy);
            derived.put("reason", COPY);
            derived.put("source_envelope_id", envelope.id());
            copies.add(new BccCopy(recipient, copy));
        }
        return Optional.of(new BccSplit(visible, copies));
    }

    private static ArrayNode openRecipients(Envelope envelope) {
        ArrayNode open = envelope.json().arrayNode();
        for (JsonNode entry : envelope.json().get("to")) {
            if (!RecipientRole.BCC.wireName().equals(entry.path("role").asString(""))) {
                open.add(entry.deepCopy());
            }
        }
        return open;
    }

    private static ObjectNode derivedMeta(ObjectNode envelope) {
        JsonNode meta = envelope.get("meta");
        ObjectNode object = meta instanceof ObjectNode existing ? existing : envelope.putObject("meta");
        return object.putObject("node_derived");
    }
}
