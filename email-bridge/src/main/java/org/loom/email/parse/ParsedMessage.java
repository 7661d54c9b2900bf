package org.loom.email.parse;

import java.time.Instant;
import java.util.List;

/**
 * An RFC 5322 message read into the parts the bridge maps onto an envelope.
 *
 * @param headers     every header field, unfolded
 * @param from        the first {@code From} mailbox, null when there is none
 * @param to          {@code To} mailboxes
 * @param cc          {@code Cc} mailboxes
 * @param bcc         {@code Bcc} mailboxes (present only on submitted, not on received, mail)
 * @param subject     the decoded subject, null when absent
 * @param messageId   the {@code Message-ID} without brackets, null when absent
 * @param inReplyTo   {@code In-Reply-To} ids
 * @param references  {@code References} ids
 * @param date        the {@code Date}, null when absent or unreadable
 * @param text        the first text/plain body, null when none
 * @param html        the first text/html body, null when none
 * @param calendar    the first text/calendar part (an invitation or reply), null when none
 * @param attachments every other part
 */
public record ParsedMessage(
        MailHeaders headers,
        EmailAddress from,
        List<EmailAddress> to,
        List<EmailAddress> cc,
        List<EmailAddress> bcc,
        String subject,
        String messageId,
        List<String> inReplyTo,
        List<String> references,
        Instant date,
        String text,
        String html,
        String calendar,
        List<MimeAttachment> attachments) {

    public ParsedMessage {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        inReplyTo = List.copyOf(inReplyTo);
        references = List.copyOf(references);
        attachments = List.copyOf(attachments);
    }
}
