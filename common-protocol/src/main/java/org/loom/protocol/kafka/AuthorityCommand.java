package org.loom.protocol.kafka;

import java.time.Instant;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Asks the envelope-service to issue or revoke a capability token, or to record or revoke a delegation. Produced by
 * the api-gateway on {@link Topics#ENVELOPE_COMMANDS}, keyed by the thread the command scopes when the gateway knows it
 * (issuing a capability), else by the actor; answered with a {@link CommandResult} carrying the same correlation id.
 *
 * @param messageId     unique per record
 * @param correlationId ties the eventual {@link CommandResult} to the waiting request
 * @param actor         the authenticated identity URI
 * @param action        one of {@link #CAPABILITY_ISSUE}, {@link #CAPABILITY_REVOKE}, {@link #DELEGATION_CREATE},
 *                      {@link #DELEGATION_REVOKE}
 * @param subjectId     the capability or delegation id a revocation names; null for the two creating actions
 * @param body          the request body as received (a JSON object; {@code {}} when there was none)
 * @param receivedAt    when the node received the request
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AuthorityCommand(
        String messageId,
        String correlationId,
        String actor,
        String action,
        String subjectId,
        JsonNode body,
        Instant receivedAt) implements LoomMessage {

    public static final String CAPABILITY_ISSUE = "capability.issue";
    public static final String CAPABILITY_REVOKE = "capability.revoke";
    public static final String DELEGATION_CREATE = "delegation.create";
    public static final String DELEGATION_REVOKE = "delegation.revoke";

    private static final Set<String> ACTIONS =
            Set.of(CAPABILITY_ISSUE, CAPABILITY_REVOKE, DELEGATION_CREATE, DELEGATION_REVOKE);

    public AuthorityCommand {
        Checks.messageId(messageId);
        Checks.text(correlationId, "correlation_id");
        Checks.text(actor, "actor");
        if (!ACTIONS.contains(Checks.text(action, "action"))) {
            throw new IllegalArgumentException("unknown authority action: " + action);
        }
        boolean revocation = action.equals(CAPABILITY_REVOKE) || action.equals(DELEGATION_REVOKE);
        if (revocation) {
            Checks.text(subjectId, "subject_id");
        }
        if (Checks.present(body, "body").isObject()) {
            body = body.deepCopy();
        } else {
            throw new IllegalArgumentException("body must be a JSON object");
        }
        Checks.present(receivedAt, "received_at");
    }
}
