package org.loom.email.bridge;

import java.util.List;
import java.util.Objects;

/**
 * One entry of the Message-ID index: an email message id and the envelope it stands for.
 *
 * @param messageId  the id without brackets
 * @param envelopeId the envelope
 * @param threadId   the envelope's thread
 * @param subject    the email subject known for the message, null when none
 * @param references the References chain of the message (without brackets), oldest first, for replies to it
 */
public record IndexedMessage(String messageId, String envelopeId, String threadId, String subject,
        List<String> references) {

    public IndexedMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(envelopeId, "envelopeId");
        Objects.requireNonNull(threadId, "threadId");
        references = List.copyOf(references);
    }
}
