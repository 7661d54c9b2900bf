package org.loom.email.bridge;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.loom.email.intent.ExtractedIntent;
import org.loom.email.intent.IntentExtractor;
import org.loom.email.intent.IntentExtractor.EmailSignals;
import org.loom.email.parse.HtmlText;
import org.loom.protocol.envelope.EnvelopeValidator;
import org.loom.protocol.envelope.ValidationError;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps an {@link InboundEmail} to a signed envelope (spec §21.2, §22.3).
 *
 * <p>Mail from outside ({@link BridgeSource#EMAIL}) is sent by {@code bridge://<address>} with {@code from.type}
 * {@code bridge}; mail a local user submits through the legacy gateway is sent by that user. Either way the node key
 * signs it, because the node, not the author, vouches for the translation. Threading follows the Message-ID index:
 * the first In-Reply-To id it knows, else the References from the newest; a hit places the envelope under that
 * envelope in its thread, a miss opens a new thread.
 */
public final class InboundEnvelopes {

    private final MessageIndex index;
    private final NodeSigner signer;
    private final Clock clock;

    public InboundEnvelopes(MessageIndex index, NodeSigner signer, Clock clock) {
        this.index = index;
        this.signer = signer;
        this.clock = clock;
    }

    /**
     * Builds and signs the envelope.
     *
     * @param actor the submitting identity for {@link BridgeSource#LEGACY_GATEWAY}; ignored for mail from outside
     * @throws LoomException {@code ENVELOPE_INVALID} when the email has no recipients or the envelope would not be
     *         valid
     */
    public BridgedEnvelope build(InboundEmail email, BridgeSource source, String actor) {
        List<RecipientEntry> recipients = recipients(email);
        String envelopeId = LoomIds.next(IdPrefix.ENVELOPE);
        Optional<IndexedMessage> parent = index.parentOf(email.inReplyTo(), email.references());
        String threadId = parent.map(IndexedMessage::threadId).orElseGet(() -> LoomIds.next(IdPrefix.THREAD));
        String parentId = parent.map(IndexedMessage::envelopeId).orElse(null);
        String messageId = email.messageId() != null ? email.messageId() : signer.messageIdOf(envelopeId);

        ExtractedIntent intent = IntentExtractor.extract(
                new EmailSignals(email.subject(), bodyText(email), email.headers(), email.calendar()));
        if (email.statedConfidence() != null) {
            intent = intent.withConfidence(email.statedConfidence());
        }
        JsonMapper json = LoomJson.mapper();
        ObjectNode envelope = json.createObjectNode();
        envelope.put("loom", "1.1");
        envelope.put("id", envelopeId);
        envelope.put("thread_id", threadId);
        envelope.put("parent_id", parentId);
        envelope.put("type", "message");

        ObjectNode from = envelope.putObject("from");
        if (source == BridgeSource.EMAIL) {
            from.put("identity", "bridge://" + email.senderEmail());
            from.put("display", email.displayFrom() != null ? email.displayFrom() : email.senderEmail());
            from.put("key_id", signer.keyId());
            from.put("type", "bridge");
        } else {
            from.put("identity", actor);
            from.put("display", email.displayFrom() != null ? email.displayFrom() : actor);
            from.put("key_id", signer.keyId());
            from.put("type", "human");
        }
        ArrayNode to = envelope.putArray("to");
        for (RecipientEntry recipient : recipients) {
            to.addObject().put("identity", recipient.identity()).put("role", recipient.role());
        }
        Instant date = email.date() != null ? email.date() : clock.instant();
        envelope.put("created_at", Timestamps.format(date));
        envelope.put("priority", email.priority() != null ? email.priority() : "normal");

        ObjectNode content = envelope.putObject("content");
        content.putObject("human").put("text", bodyText(email)).put("format", "plaintext");
        ObjectNode structured = content.putObject("structured");
        structured.put("intent", intent.intent());
        ObjectNode parameters = structured.putObject("parameters");
        parameters.put("source", source.wireName());
        parameters.put("extracted", true);
        parameters.put("extraction_confidence", intent.confidence());
        parameters.put("extraction_rule", intent.rule());
        if (email.subject() != null) {
            parameters.put("subject", email.subject());
        }
        content.put("encrypted", false);
        envelope.set("attachments", email.attachments().deepCopy());

        ObjectNode references = envelope.putObject("references");
        references.put("in_reply_to", parentId);
        references.putArray("linked_envelopes");
        references.putArray("linked_threads");
        references.putArray("external").addObject().put("type", "email_message_id").put("ref", messageId);

        ObjectNode bridge = envelope.putObject("meta").putObject("bridge");
        bridge.put("source", source.wireName());
        bridge.put("original_message_id", messageId);
        bridge.set("original_headers", email.originalHeaders().deepCopy());
        ObjectNode auth = bridge.putObject("auth_results");
        if (source == BridgeSource.EMAIL) {
            email.authResults().forEach(auth::put);
        } else {
            // The author signed in to the node; the mail did not cross the internet.
            auth.put("spf", "pass").put("dkim", "pass").put("dmarc", "pass");
        }
        bridge.put("extraction_confidence", intent.confidence());
        if (email.subject() != null) {
            bridge.put("subject", email.subject());
        }

        ObjectNode signed = EnvelopeSignatures.sign(envelope, signer.key(), signer.keyId());
        // Caller-supplied parts (attachments, recipients) can still make the envelope invalid: refuse it here, with
        // the validator's reasons, rather than after a round trip to the envelope-service.
        List<ValidationError> errors = EnvelopeValidator.validate(signed);
        if (!errors.isEmpty()) {
            throw LoomException.invalid("Envelope fails validation",
                    Map.of("errors", errors.stream().map(ValidationError::toDetail).toList()));
        }
        return new BridgedEnvelope(signed, envelopeId, threadId, parentId, messageId, chain(email),
                email.subject(), intent, email.mimeAttachments());
    }

    /** The text body, else text from the HTML body, else a marker that the mail had none. */
    static String bodyText(InboundEmail email) {
        if (email.text() != null && !email.text().isBlank()) {
            return email.text();
        }
        String fromHtml = HtmlText.toText(email.html());
        return fromHtml.isEmpty() ? "(no body)" : fromHtml;
    }

    /** The email's thread ancestry for later replies: References, then In-Reply-To ids not already in them. */
    private static List<String> chain(InboundEmail email) {
        Set<String> chain = new LinkedHashSet<>(email.references());
        chain.addAll(email.inReplyTo());
        if (email.messageId() != null) {
            chain.remove(email.messageId());
        }
        return new ArrayList<>(chain);
    }

    private record RecipientEntry(String identity, String role) {
    }

    /**
     * To, then Cc, then Bcc, each identity once with the most visible role it was given (an upgrade keeps the first
     * position); with no To recipient the first one becomes the primary.
     */
    private static List<RecipientEntry> recipients(InboundEmail email) {
        Map<String, String> roles = new LinkedHashMap<>();
        email.primary().forEach(id -> roles.put(id, "primary"));
        email.cc().forEach(id -> roles.merge(id, "cc", (old, role) -> old));
        email.bcc().forEach(id -> roles.merge(id, "bcc", (old, role) -> old));
        if (roles.isEmpty()) {
            throw LoomException.invalid("Inbound email requires recipients", LoomException.details("field", "to"));
        }
        List<RecipientEntry> entries = new ArrayList<>();
        roles.forEach((identity, role) -> entries.add(new RecipientEntry(identity, role)));
        if (!roles.containsValue("primary")) {
            RecipientEntry first = entries.get(0);
            entries.set(0, new RecipientEntry(first.identity(), "primary"));
        }
        return entries;
    }

}
