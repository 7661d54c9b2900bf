package org.loom.protocol.kafka;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * An envelope was stored in its thread. Produced by the envelope-service's outbox relay on
 * {@link Topics#ENVELOPE_EVENTS} after the ingest committed, keyed by {@code thread_id}; consumed by the
 * federation-service, the email-bridge and the delivery-worker, which queue the deliveries the envelope calls for.
 *
 * @param messageId  unique per record
 * @param threadId   the thread the envelope belongs to
 * @param envelopeId the envelope's id
 * @param eventSeq   the envelope's position in its thread's event sequence, from 1
 * @param envelope   the stored envelope, including the {@code meta} the node assigned; a JSON object
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EnvelopeAccepted(String messageId, String threadId, String envelopeId, long eventSeq, JsonNode envelope)
        implements LoomMessage {

    public EnvelopeAccepted {
        Checks.messageId(messageId);
        Checks.text(threadId, "thread_id");
        Checks.text(envelopeId, "envelope_id");
        if (eventSeq < 1) {
            throw new IllegalArgumentException("event_seq starts at 1, got " + eventSeq);
        }
        if (Checks.present(envelope, "envelope").isObject()) {
            envelope = envelope.deepCopy();
        } else {
            throw new IllegalArgumentException("envelope must be a JSON object");
        }
    }
}
