package org.loom.envelope.thread.op;

import org.loom.envelope.thread.ThreadLink;
import org.loom.envelope.thread.ThreadRelationStore;
import org.loom.envelope.thread.ThreadStore;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.ThreadRelationCommand;
import org.loom.protocol.thread.ThreadOpIntent;
import org.loom.protocol.thread.ThreadRelation;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * {@code thread.link@v1} {@code {thread_id, relation?, bidirectional?}} (spec §11.4): adds a {@code linked_threads[]}
 * entry to this thread ({@code related} by default; {@code blocks}, {@code blocked_by}, {@code parent} and
 * {@code child} too) and, unless {@code bidirectional} is {@code false}, the inverse entry to the other thread through
 * a command keyed by it. The state of neither thread changes.
 *
 * <p>Linking exposes this thread to the other one, so the actor must be in the other thread as well; to anyone else
 * it does not exist.
 */
@Component
class LinkThreadOperation implements ThreadOperation {

    private static final String FIELD = "content.structured.parameters.";

    private final ThreadStore threads;
    private final ThreadRelationStore relations;
    private final RelationCommands commands;

    LinkThreadOperation(ThreadStore threads, ThreadRelationStore relations, RelationCommands commands) {
        this.threads = threads;
        this.relations = relations;
        this.commands = commands;
    }

    @Override
    public ThreadOpIntent intent() {
        return ThreadOpIntent.LINK;
    }

    @Override
    public ThreadOperationOutcome apply(ThreadOperationRequest request) {
        JsonNode parameters = request.parameters();
        String target = ParameterReader.optionalText(parameters, "thread_id")
                .or(() -> ParameterReader.optionalText(parameters, "linked_thread_id"))
                .orElseThrow(() -> LoomException.invalid("thread.link@v1 requires thread_id",
                        LoomException.details("field", FIELD + "thread_id")));
        if (!LoomIds.isValid(IdPrefix.THREAD, target)) {
            throw LoomException.invalid("thread.link@v1 thread_id must be thr_ + ULID",
                    LoomException.details("field", FIELD + "thread_id"));
        }
        if (target.equals(request.thread().id())) {
            throw LoomException.invalid("A thread cannot be linked to itself",
                    LoomException.details("field", FIELD + "thread_id"));
        }
        String relationName = ParameterReader.optionalText(parameters, "relation").orElse("related");
        ThreadRelation relation = ThreadRelation.fromWire(relationName).filter(ThreadRelation::linkable)
                .orElseThrow(() -> LoomException.invalid(
                        "relation must be related, blocks, blocked_by, parent or child",
                        LoomException.details("field", FIELD + "relation", "relation", relationName)));
        boolean visible = threads.find(target).filter(thread -> !thread.opening()).isPresent()
                && threads.participants(target).isActive(request.actor());
        if (!visible) {
            throw new LoomException(ErrorCode.THREAD_NOT_FOUND, "Thread not found: " + target,
                    LoomException.details("thread_id", target));
        }
        relations.addLink(request.thread().id(), new ThreadLink(target, relation.wireName()));
        JsonNode bidirectional = parameters.get("bidirectional");
        if (bidirectional == null || !bidirectional.isBoolean() || bidirectional.booleanValue()) {
            commands.send(target, ThreadRelationCommand.LINKED, request, relation.inverse().wireName(),
                    LoomJson.mapper().createObjectNode());
        }
        return request.withThread(request.thread());
    }
}
