package org.loom.envelope.ingest;

import java.util.Map;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.Topics;
import org.loom.service.messaging.OutboxEvents;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Queues the answer to a command in the outbox, in the transaction that decided it. The answer goes to the results
 * partition the waiting instance named, keyed by the name of the service that sent the command.
 */
@Component
class CommandReplies {

    private final OutboxEvents outbox;

    CommandReplies(OutboxEvents outbox) {
        this.outbox = outbox;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    CommandResult success(String correlationId, ReplyAddress replyTo, int status, JsonNode body) {
        return send(CommandResult.success(newMessageId(), correlationId, status, body), replyTo);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    CommandResult refusal(String correlationId, ReplyAddress replyTo, LoomException refusal) {
        return send(CommandResult.refusal(newMessageId(), correlationId, refusal.code(),
                errorBody(refusal.getMessage(), refusal.details())), replyTo);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    CommandResult internalError(String correlationId, ReplyAddress replyTo) {
        return send(CommandResult.refusal(newMessageId(), correlationId, ErrorCode.INTERNAL_ERROR,
                errorBody("Internal server error", Map.of())), replyTo);
    }

    private CommandResult send(CommandResult result, ReplyAddress replyTo) {
        if (replyTo.partition().isPresent()) {
            outbox.appendToPartition(Topics.ENVELOPE_COMMAND_RESULTS, replyTo.partition().getAsInt(),
                    replyTo.requester(), result);
        } else {
            outbox.append(Topics.ENVELOPE_COMMAND_RESULTS, replyTo.requester(), result);
        }
        return result;
    }

    /** {@code {"message", "details"}}: the gateway wraps it into the protocol error body with its request id. */
    private static ObjectNode errorBody(String message, Map<String, Object> details) {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("message", message);
        body.set("details", LoomJson.mapper().valueToTree(details));
        return body;
    }

    private static String newMessageId() {
        return LoomIds.next(IdPrefix.EVENT);
    }
}
