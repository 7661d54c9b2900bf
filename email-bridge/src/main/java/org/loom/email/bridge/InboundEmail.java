package org.loom.email.bridge;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.loom.email.parse.MailHeaders;
import org.loom.email.parse.MimeAttachment;
import tools.jackson.databind.JsonNode;

/**
 * An email on its way into LOOM, read either from the bridge's JSON form or from a raw RFC 5322 message, with every
 * list already parsed. {@link InboundEmailReader} makes instances; {@link InboundEnvelopes} maps them to envelopes.
 *
 * @param senderEmail          the sender's address, lower-cased
 * @param displayFrom          the sender's display name, null when unknown
 * @param primary              To recipients (or the SMTP envelope recipients), as identities
 * @param cc                   Cc recipients, as identities
 * @param bcc                  Bcc recipients, as identities
 * @param headers              the header fields, for lookups and intent extraction
 * @param originalHeaders      the headers as recorded in {@code meta.bridge.original_headers}
 * @param subject              the decoded subject, null when none
 * @param messageId            the Message-ID without brackets, null when none
 * @param inReplyTo            In-Reply-To ids
 * @param references           References ids
 * @param date                 when the mail says it was written, null when unknown
 * @param text                 the plain text body, null when none
 * @param html                 the HTML body, null when none
 * @param calendar             a text/calendar part, null when none
 * @param priority             the priority (low, normal, high, urgent), null when not stated
 * @param attachments          envelope attachments the caller already stored as blobs (JSON form), an array
 * @param mimeAttachments      attachments carried in a raw message
 * @param statedConfidence     an extraction confidence the caller stated, null when none
 * @param authResults          SPF, DKIM and DMARC verdicts of the receiving MTA
 * @param quarantine           true when the caller asks for the thread to be quarantined
 */
public record InboundEmail(
        String senderEmail,
        String displayFrom,
        List<String> primary,
        List<String> cc,
        List<String> bcc,
        MailHeaders headers,
        JsonNode originalHeaders,
        String subject,
        String messageId,
        List<String> inReplyTo,
        List<String> references,
        Instant date,
        String text,
        String html,
        String calendar,
        String priority,
        JsonNode attachments,
        List<MimeAttachment> mimeAttachments,
        Double statedConfidence,
        Map<String, String> authResults,
        boolean quarantine) {

    public InboundEmail {
        Objects.requireNonNull(senderEmail, "senderEmail");
        primary = List.copyOf(primary);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(originalHeaders, "originalHeaders");
        inReplyTo = List.copyOf(inReplyTo);
        references = List.copyOf(references);
        Objects.requireNonNull(attachments, "attachments");
        mimeAttachments = List.copyOf(mimeAttachments);
        authResults = Collections.unmodifiableMap(new LinkedHashMap<>(authResults));
    }

    /**
     * The same email with these envelope attachments and no MIME attachments left to store: the form it takes once
     * its files are blobs.
     */
    public InboundEmail withStoredAttachments(JsonNode stored) {
        return new InboundEmail(senderEmail, displayFrom, primary, cc, bcc, headers, originalHeaders, subject,
                messageId, inReplyTo, references, date, text, html, calendar, priority, stored, List.of(),
                statedConfidence, authResults, quarantine);
    }
}
