package org.loom.email.bridge;

import java.util.List;
import java.util.Objects;
import org.loom.email.intent.ExtractedIntent;
import org.loom.email.parse.MimeAttachment;
import tools.jackson.databind.node.ObjectNode;

/**
 * An envelope made from an email, signed and ready to submit, with what the index must record once it is accepted.
 *
 * @param envelope        the signed envelope
 * @param envelopeId      its id
 * @param threadId        its thread: the parent's, or a new one
 * @param parentId        the envelope it replies to, null for a new thread
 * @param messageId       the email's Message-ID (or the one the node made up), without brackets
 * @param references      the References chain of the email, oldest first, without the email's own id
 * @param subject         the email's subject, null when none
 * @param intent          the extracted intent
 * @param mimeAttachments attachments of a raw message, which the caller stores before submitting
 */
public record BridgedEnvelope(
        ObjectNode envelope,
        String envelopeId,
        String threadId,
        String parentId,
        String messageId,
        List<String> references,
        String subject,
        ExtractedIntent intent,
        List<MimeAttachment> mimeAttachments) {

    public BridgedEnvelope {
        Objects.requireNonNull(envelope, "envelope");
        envelope = envelope.deepCopy();
        references = List.copyOf(references);
        mimeAttachments = List.copyOf(mimeAttachments);
    }

    @Override
    public ObjectNode envelope() {
        return envelope.deepCopy();
    }

    public boolean newThread() {
        return parentId == null;
    }
}
