package org.loom.envelope.thread.op;

import java.util.Optional;
import org.loom.envelope.thread.ThreadLink;
import org.loom.envelope.thread.ThreadRelationStore;
import org.loom.envelope.thread.ThreadStore;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.ThreadRelationCommand;
import org.loom.protocol.thread.ThreadOpIntent;
import org.loom.protocol.thread.ThreadRelation;
import org.loom.protocol.thread.ThreadStateMachine;
import org.springframework.stereotype.Component;

/**
 * {@code thread.merge@v1} {@code {parent_thread_id?}}, posted to a fork (spec §11.4): no envelope moves; the fork's
 * state becomes {@code merged} (from {@code active} or {@code resolved}), and its parent thread, by a command keyed by
 * it, marks the fork merged in {@code forks[]} and gains a {@code merged_from} link to it. The parent is the thread
 * the fork's {@code parent} link names; a thread without one may name an existing thread in
 * {@code parent_thread_id}.
 */
@Component
class MergeThreadOperation implements ThreadOperation {

    private final ThreadStore threads;
    private final ThreadRelationStore relations;
    private final RelationCommands commands;

    MergeThreadOperation(ThreadStore threads, ThreadRelationStore relations, RelationCommands commands) {
        this.threads = threads;
        this.relations = relations;
        this.commands = commands;
    }

    @Override
    public ThreadOpIntent intent() {
        return ThreadOpIntent.MERGE;
    }

    @Override
    public ThreadOperationOutcome apply(ThreadOperationRequest request) {
        String threadId = request.thread().id();
        Optional<String> linkedParent = relations.links(threadId).stream()
                .filter(link -> link.relation().equals(ThreadRelation.PARENT.wireName()))
                .map(ThreadLink::threadId)
                .findFirst();
        Optional<String> given = ParameterReader.optionalText(request.parameters(), "parent_thread_id");
        String parent = linkedParent
                .or(() -> given.filter(id -> !id.equals(threadId) && threads.find(id).isPresent()))
                .orElseThrow(() -> LoomException.invalid(
                        "thread.merge@v1 needs a parent thread: this thread is not a fork",
                        LoomException.details("field", "content.structured.parameters.parent_thread_id",
                                "thread_id", threadId)));
        var next = request.thread().withState(
                ThreadStateMachine.transition(threadId, request.thread().state(), ThreadOpIntent.MERGE));
        commands.send(parent, ThreadRelationCommand.FORK_MERGED, request, null, LoomJson.mapper().createObjectNode());
        return request.withThread(next);
    }
}
