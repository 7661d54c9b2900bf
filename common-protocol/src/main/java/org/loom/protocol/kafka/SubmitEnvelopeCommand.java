package org.loom.protocol.kafka;

import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Asks the envelope-service to ingest an envelope the gateway has authenticated. Produced by the api-gateway on
 * {@link Topics#ENVELOPE_COMMANDS}, keyed by the envelope's {@code thread_id}; consumed by the envelope-service, which
 * answers with a {@link CommandResult} carrying the same correlation id.
 *
 * <p>The command carries the facts the gateway verified, so the envelope-service never asks the gateway again: who the
 * actor is, what type of identity it is registered as, and which of its keys it authenticated with.
 *
 * @param messageId     unique per record
 * @param correlationId ties the eventual {@link CommandResult} to the waiting request
 * @param actor         the authenticated identity URI the envelope is submitted for
 * @param actorType     the actor's registered identity type ({@code human}, {@code agent}, ...)
 * @param keyId         the key the actor authenticated with; null when the actor did not authenticate with a key of
 *                      its own (a bridge acting for a sender)
 * @param envelope      the envelope exactly as received, a JSON object; a copy, so later changes to the caller's tree
 *                      do not reach the record
 * @param receivedAt    when the node received the request
 * @param route         the HTTP route the envelope arrived through (e.g. {@code /v1/envelopes},
 *                      {@code /v1/federation/deliver}, {@code /v1/bridge/email/inbound})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SubmitEnvelopeCommand(
        String messageId,
        String correlationId,
        String actor,
        String actorType,
        String keyId,
        JsonNode envelope,
        Instant receivedAt,
        String route) implements LoomMessage {

    public SubmitEnvelopeCommand {
        Checks.messageId(messageId);
        Checks.text(correlationId, "correlation_id");
        Checks.text(actor, "actor");
        Checks.text(actorType, "actor_type");
        if (keyId != null) {
            Checks.text(keyId, "key_id");
        }
        if (Checks.present(envelope, "envelope").isObject()) {
            envelope = envelope.deepCopy();
        } else {
            throw new IllegalArgumentException("envelope must be a JSON object");
        }
        Checks.present(receivedAt, "received_at");
        Checks.text(route, "route");
    }
}
