package org.loom.email.bridge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.loom.email.parse.AddressList;
import org.loom.email.parse.EmailAddress;
import org.loom.email.parse.HtmlText;
import org.loom.email.parse.MessageIds;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;

/**
 * Renders a stored envelope as an email (spec §21.3): plain text and HTML bodies, the {@code X-LOOM-*} headers, and
 * {@code In-Reply-To}/{@code References} that let mail clients thread it with the mail it answers.
 *
 * <p>Threading uses the index: when the parent envelope arrived as an email (or went out as one), the reply points at
 * that message's real Message-ID and extends its References chain, so the correspondent's client files the reply under
 * their own message; otherwise the node's id for the parent ({@code envelopeId@nodeId}) is used.
 */
public final class OutboundRenderer {

    /** What mail shows in place of end-to-end encrypted content, which the node cannot read. */
    public static final String ENCRYPTED_TEXT = "[Encrypted LOOM content]";
    private static final String GENERAL_INTENT = "message.general@v1";

    private final MessageIndex index;
    private final NodeSigner node;

    public OutboundRenderer(MessageIndex index, NodeSigner node) {
        this.index = index;
        this.node = node;
    }

    /**
     * What the caller asks for besides the envelope.
     *
     * @param toEmail       explicit recipients (all To), overriding the envelope's; null to use the envelope's
     * @param subject       an explicit subject, null to derive one
     * @param smtpFrom      an explicit sender address, null for the relay's default
     * @param threadSubject the thread's subject, null when it has none
     * @param includeBcc    whether the envelope's Bcc recipients are mailed (only the sender may see them)
     */
    public record Options(List<String> toEmail, String subject, String smtpFrom, String threadSubject,
            boolean includeBcc) {
    }

    public RenderedEmail render(JsonNode envelope, Options options) {
        String envelopeId = envelope.path("id").asString();
        String threadId = envelope.path("thread_id").asString();
        String parentId = envelope.path("parent_id").isString() ? envelope.get("parent_id").stringValue() : null;
        JsonNode content = envelope.path("content");
        boolean encrypted = content.path("encrypted").asBoolean(false);
        String intent = content.path("structured").path("intent").isString()
                && !content.path("structured").path("intent").stringValue().isEmpty()
                ? content.path("structured").path("intent").stringValue() : null;

        List<String> to = new ArrayList<>();
        List<String> cc = new ArrayList<>();
        List<String> bcc = new ArrayList<>();
        if (options.toEmail() != null) {
            to.addAll(addresses(options.toEmail()));
        } else {
            for (JsonNode recipient : envelope.path("to")) {
                String email = emailOf(recipient.path("identity").asString());
                if (email == null) {
                    continue;
                }
                switch (recipient.path("role").asString()) {
                    case "primary" -> to.add(email);
                    case "bcc" -> {
                        if (options.includeBcc()) {
                            bcc.add(email);
                        }
                    }
                    default -> cc.add(email);
                }
            }
        }
        dedupe(to, cc, bcc);
        if (to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
            throw LoomException.invalid("No email recipients", LoomException.details("field", "to_email"));
        }

        Optional<IndexedMessage> parent = parentId == null ? Optional.empty() : index.byEnvelopeId(parentId);
        String subject = firstNonBlank(options.subject(), envelopeSubject(envelope),
                parent.map(IndexedMessage::subject).map(OutboundRenderer::reply).orElse(null),
                options.threadSubject(), intent, "LOOM " + envelope.path("type").asString());

        String text;
        String html;
        String humanFormat = content.path("human").path("format").asString("plaintext");
        if (encrypted) {
            text = ENCRYPTED_TEXT;
            html = HtmlText.fromText(text);
        } else if (content.path("human").path("text").isString()) {
            String human = content.path("human").path("text").stringValue();
            if ("html".equals(humanFormat)) {
                html = human;
                text = HtmlText.toText(human);
            } else {
                text = human;
                html = HtmlText.fromText(human);
            }
        } else {
            text = LoomJson.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(content.path("structured").isObject()
                            ? content.get("structured") : LoomJson.mapper().createObjectNode());
            html = HtmlText.fromText(text);
        }

        String messageId = node.messageIdOf(envelopeId);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Message-ID", MessageIds.bracket(messageId));
        if (parentId != null) {
            String parentMessageId = parent.map(IndexedMessage::messageId).orElse(node.messageIdOf(parentId));
            headers.put("In-Reply-To", MessageIds.bracket(parentMessageId));
            Set<String> chain = new LinkedHashSet<>(parent.map(IndexedMessage::references).orElse(List.of()));
            chain.add(parentMessageId);
            headers.put("References", String.join(" ", chain.stream().map(MessageIds::bracket).toList()));
        }
        headers.put("X-LOOM-Intent", intent != null ? intent : GENERAL_INTENT);
        headers.put("X-LOOM-Thread-ID", threadId);
        headers.put("X-LOOM-Envelope-ID", envelopeId);
        return new RenderedEmail(options.smtpFrom(), to, cc, bcc, subject, text, html, headers,
                envelope.path("attachments").isArray() ? envelope.get("attachments") : null, messageId);
    }

    /** The References chain a reply to this rendering would extend: the parent's chain and the parent. */
    public static List<String> chainOf(RenderedEmail email) {
        String references = email.headers().get("References");
        return references == null ? List.of() : MessageIds.parse(references);
    }

    private static String envelopeSubject(JsonNode envelope) {
        JsonNode subject = envelope.path("content").path("structured").path("parameters").path("subject");
        return subject.isString() ? subject.stringValue() : null;
    }

    private static String reply(String subject) {
        return subject.regionMatches(true, 0, "re:", 0, 3) ? subject : "Re: " + subject;
    }

    /** The email address of an identity: the part after the scheme; null when it is no address. */
    static String emailOf(String identity) {
        int scheme = identity.indexOf("://");
        String address = scheme >= 0 ? identity.substring(scheme + 3) : identity;
        List<EmailAddress> parsed = AddressList.parse(address);
        return parsed.isEmpty() ? null : parsed.get(0).address();
    }

    private static List<String> addresses(List<String> texts) {
        List<String> out = new ArrayList<>();
        for (EmailAddress address : AddressList.parseAll(texts)) {
            String email = address.isLoomIdentity() ? emailOf(address.address()) : address.address();
            if (email != null) {
                out.add(email);
            }
        }
        return out;
    }

    /** An address keeps its most visible role only: To over Cc over Bcc. */
    private static void dedupe(List<String> to, List<String> cc, List<String> bcc) {
        Set<String> seen = new LinkedHashSet<>();
        for (List<String> list : List.of(to, cc, bcc)) {
            List<String> kept = new ArrayList<>();
            for (String address : list) {
                if (seen.add(address)) {
                    kept.add(address);
                }
            }
            list.clear();
            list.addAll(kept);
        }
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "";
    }
}
