package org.loom.email.bridge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An envelope rendered as an email, ready for a relay.
 *
 * @param smtpFrom    the sender address, null to use the relay's default
 * @param to          To addresses
 * @param cc          Cc addresses
 * @param bcc         Bcc addresses: each gets its own message, and no message names them
 * @param subject     the subject
 * @param text        the plain text body
 * @param html        the HTML body
 * @param headers     the extra header fields in order (Message-ID, In-Reply-To, References, X-LOOM-*)
 * @param attachments the envelope's attachments as JSON (the blobs are attached when available)
 * @param messageId   the Message-ID without brackets
 */
public record RenderedEmail(
        String smtpFrom,
        List<String> to,
        List<String> cc,
        List<String> bcc,
        String subject,
        String text,
        String html,
        Map<String, String> headers,
        JsonNode attachments,
        String messageId) {

    public RenderedEmail {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        attachments = attachments == null ? LoomJson.mapper().createArrayNode() : attachments.deepCopy();
        Objects.requireNonNull(messageId, "messageId");
    }

    /** Every SMTP recipient: To, Cc, then Bcc. */
    public List<String> rcptTo() {
        List<String> all = new ArrayList<>(to);
        all.addAll(cc);
        all.addAll(bcc);
        return all;
    }

    /** The same email from another sender address. */
    public RenderedEmail withSmtpFrom(String from) {
        return new RenderedEmail(from, to, cc, bcc, subject, text, html, headers, attachments, messageId);
    }

    /**
     * The JSON answer of {@code /v1/bridge/email/outbound}: the reference node's members ({@code smtp_from},
     * {@code rcpt_to}, {@code subject}, {@code text}, {@code html}, {@code headers}, {@code attachments}) and the
     * split into {@code to}, {@code cc} and {@code bcc}.
     */
    public ObjectNode toJson() {
        ObjectNode json = LoomJson.mapper().createObjectNode();
        json.put("smtp_from", smtpFrom);
        json.set("rcpt_to", LoomJson.mapper().valueToTree(rcptTo()));
        json.set("to", LoomJson.mapper().valueToTree(to));
        json.set("cc", LoomJson.mapper().valueToTree(cc));
        json.set("bcc", LoomJson.mapper().valueToTree(bcc));
        json.put("subject", subject);
        json.put("text", text);
        json.put("html", html);
        ObjectNode headerJson = json.putObject("headers");
        headers.forEach(headerJson::put);
        json.set("attachments", attachments.deepCopy());
        return json;
    }
}
