package org.loom.email.bridge;

import java.util.List;
import java.util.Optional;

/** Lookups in the Message-ID ↔ envelope index that threading needs. */
public interface MessageIndex {

    /** The envelope a message id stands for. */
    Optional<IndexedMessage> byMessageId(String messageId);

    /** The email identity of an envelope: the message id it arrived with, or the one it was sent out with. */
    Optional<IndexedMessage> byEnvelopeId(String envelopeId);

    /**
     * The envelope a reply belongs under: the first In-Reply-To id the index knows, else the References ids from the
     * newest (last) to the oldest.
     */
    default Optional<IndexedMessage> parentOf(List<String> inReplyTo, List<String> references) {
        for (String id : inReplyTo) {
            Optional<IndexedMessage> hit = byMessageId(id);
            if (hit.isPresent()) {
                return hit;
            }
        }
        for (int i = references.size() - 1; i >= 0; i--) {
            Optional<IndexedMessage> hit = byMessageId(references.get(i));
            if (hit.isPresent()) {
                return hit;
            }
        }
        return Optional.empty();
    }
}
