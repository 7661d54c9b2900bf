package org.loom.protocol.envelope;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who may read an envelope and whom it is delivered to (spec §8.3, §20.6).
 *
 * <p>An envelope without {@code audience}, or with mode {@code thread}, is readable by the thread's participants;
 * the set of readers then depends on the thread, not on the envelope, and {@link #restrictedReaders} is empty. Modes
 * {@code recipients} and {@code custom} name the readers outright, and the sender is always one of them. Bcc
 * recipients never count as recipients of the envelope that names them: they read their own bcc copy.
 */
public final class EnvelopeAudience {

    private EnvelopeAudience() {
    }

    /**
     * The identities that alone may read the envelope, sender first; empty when the thread's participants may.
     */
    public static Optional<Set<String>> restrictedReaders(Envelope envelope) {
        Optional<Audience> audience = envelope.audience();
        if (audience.isEmpty() || audience.get().mode() == AudienceMode.THREAD) {
            return Optional.empty();
        }
        Set<String> readers = new LinkedHashSet<>();
        readers.add(envelope.from().identity().toString());
        if (audience.get().mode() == AudienceMode.RECIPIENTS) {
            readers.addAll(visibleRecipients(envelope));
        } else {
            readers.addAll(audience.get().identities());
        }
        return Optional.of(Collections.unmodifiableSet(readers));
    }

    /** The recipients named openly (every role but Bcc), once each, in the order of {@code to[]}. */
    public static Set<String> visibleRecipients(Envelope envelope) {
        Set<String> identities = new LinkedHashSet<>();
        for (Recipient recipient : envelope.to()) {
            if (recipient.role() != RecipientRole.BCC) {
                identities.add(recipient.identity().toString());
            }
        }
        return identities;
    }
}
