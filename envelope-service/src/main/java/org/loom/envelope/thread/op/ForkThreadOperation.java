package org.loom.envelope.thread.op;

import java.util.Optional;
import org.loom.envelope.thread.Participant;
import org.loom.envelope.thread.ThreadFork;
import org.loom.envelope.thread.ThreadRelationStore;
import org.loom.envelope.thread.ThreadStore;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.ThreadRelationCommand;
import org.loom.protocol.thread.ThreadOpIntent;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code thread.fork@v1} {@code {fork_thread_id?, forked_from?, subject?}} (spec §11.4): opens a new thread for a
 * side conversation. This thread lists it in {@code forks[]} at once; the fork thread itself is created by a command
 * keyed by it, with this thread's active participants (roles kept), the subject, and a {@code parent} link back here.
 *
 * <p>The fork's id is {@code fork_thread_id} when the client chose one (so it knows it before the fork exists), else
 * a new one, shown in {@code forks[]}. {@code forked_from} defaults to the operation's parent envelope, then to the
 * thread's root.
 */
@Component
class ForkThreadOperation implements ThreadOperation {

    private final ThreadStore threads;
    private final ThreadRelationStore relations;
    private final RelationCommands commands;

    ForkThreadOperation(ThreadStore threads, ThreadRelationStore relations, RelationCommands commands) {
        this.threads = threads;
        this.relations = relations;
        this.commands = commands;
    }

    @Override
    public ThreadOpIntent intent() {
        return ThreadOpIntent.FORK;
    }

    @Override
    public ThreadOperationOutcome apply(ThreadOperationRequest request) {
        var parameters = request.parameters();
        String forkId = ParameterReader.optionalText(parameters, "fork_thread_id")
                .orElseGet(() -> LoomIds.next(IdPrefix.THREAD));
        if (!LoomIds.isValid(IdPrefix.THREAD, forkId)) {
            throw LoomException.invalid("fork_thread_id must be thr_ + ULID",
                    LoomException.details("field", "content.structured.parameters.fork_thread_id"));
        }
        if (forkId.equals(request.thread().id()) || threads.find(forkId).isPresent()) {
            throw new LoomException(ErrorCode.ENVELOPE_DUPLICATE, "Fork thread already exists: " + forkId,
                    LoomException.details("thread_id", forkId));
        }
        Optional<String> forkedFrom = ParameterReader.optionalText(parameters, "forked_from")
                .or(() -> request.envelope().parentId())
                .or(() -> request.thread().rootEnvelopeId());
        if (forkedFrom.isPresent() && !LoomIds.isValid(IdPrefix.ENVELOPE, forkedFrom.get())) {
            throw LoomException.invalid("forked_from must be env_ + ULID",
                    LoomException.details("field", "content.structured.parameters.forked_from"));
        }
        Optional<String> subject = ParameterReader.optionalText(parameters, "subject");
        relations.addFork(request.thread().id(), new ThreadFork(forkId, forkedFrom, "active", subject));

        ObjectNode details = LoomJson.mapper().createObjectNode();
        details.put("forked_from", forkedFrom.orElse(null));
        details.put("subject", subject.orElse(null));
        details.put("created_at", request.envelope().createdAt());
        ArrayNode members = details.putArray("participants");
        for (Participant participant : request.participants().active()) {
            members.addObject().put("identity", participant.identity()).put("role", participant.role());
        }
        commands.send(forkId, ThreadRelationCommand.FORK_OPENED, request, null, details);
        return request.withThread(request.thread());
    }
}
