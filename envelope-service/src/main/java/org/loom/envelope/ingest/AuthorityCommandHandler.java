package org.loom.envelope.ingest;

import java.util.Optional;
import org.loom.envelope.capability.Capabilities;
import org.loom.envelope.delegation.Delegations;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.kafka.AuthorityCommand;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.Topics;
import org.loom.service.messaging.ProcessedMessages;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides capability and delegation commands: issue (201) and revoke (200) a capability token, record (201) and
 * revoke (200) a delegation. Like envelope commands, a decision commits with the processed-message record and its
 * reply; a refusal rolls back and is recorded by {@link EnvelopeIngest#refuse(String, String, ReplyAddress,
 * LoomException)}.
 */
@Service
public class AuthorityCommandHandler {

    private static final String COMMANDS = Topics.ENVELOPE_COMMANDS.name();

    private final Capabilities capabilities;
    private final Delegations delegations;
    private final ProcessedMessages processed;
    private final CommandReplies replies;

    AuthorityCommandHandler(Capabilities capabilities, Delegations delegations, ProcessedMessages processed,
            CommandReplies replies) {
        this.capabilities = capabilities;
        this.delegations = delegations;
        this.processed = processed;
        this.replies = replies;
    }

    /**
     * Decides the command and queues its reply; empty when it was processed before.
     *
     * @throws LoomException the refusal; nothing is stored, and the caller records it
     */
    @Transactional
    public Optional<CommandResult> handle(AuthorityCommand command, ReplyAddress replyTo) {
        if (!processed.firstDelivery(command.messageId(), COMMANDS)) {
            return Optional.empty();
        }
        String actor = command.actor();
        ObjectNode body = switch (command.action()) {
            case AuthorityCommand.CAPABILITY_ISSUE -> capabilities.issue(actor, command.body()).toJson();
            case AuthorityCommand.CAPABILITY_REVOKE -> capabilities.revoke(actor, command.subjectId()).toJson();
            case AuthorityCommand.DELEGATION_CREATE -> delegations.create(actor, command.body()).toJson();
            case AuthorityCommand.DELEGATION_REVOKE -> delegations.revoke(actor, command.subjectId()).toJson();
            default -> throw new IllegalStateException("unknown authority action " + command.action());
        };
        int status = command.action().endsWith(".revoke") ? 200 : 201;
        return Optional.of(replies.success(command.correlationId(), replyTo, status, body));
    }
}
