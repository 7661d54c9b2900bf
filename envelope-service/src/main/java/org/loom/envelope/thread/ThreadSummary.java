package org.loom.envelope.thread;

import java.util.List;
import java.util.Objects;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API view of a thread: {@code id, root_envelope_id, subject, state, created_at, updated_at, participants,
 * labels, forks, linked_threads, cap_epoch, encryption}, in that order.
 */
public record ThreadSummary(ThreadRecord thread, Participants participants, List<ThreadFork> forks,
        List<ThreadLink> linkedThreads) {

    public ThreadSummary {
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(participants, "participants");
        forks = List.copyOf(forks);
        linkedThreads = List.copyOf(linkedThreads);
    }

    /** A summary of a thread without forks or links. */
    public ThreadSummary(ThreadRecord thread, Participants participants) {
        this(thread, participants, List.of(), List.of());
    }

    /** The summary as JSON. */
    public ObjectNode toJson() {
        ObjectNode json = LoomJson.mapper().createObjectNode();
        json.put("id", thread.id());
        json.put("root_envelope_id", thread.rootEnvelopeId().orElse(null));
        json.put("subject", thread.subject().orElse(null));
        json.put("state", thread.state().wireName());
        json.put("created_at", thread.createdAt());
        json.put("updated_at", thread.updatedAt());
        ArrayNode members = json.putArray("participants");
        for (Participant participant : participants.members()) {
            ObjectNode member = members.addObject();
            member.put("identity", participant.identity());
            member.put("role", participant.role());
            member.put("joined_at", participant.joinedAt());
            member.put("left_at", participant.leftAt().orElse(null));
        }
        ArrayNode labels = json.putArray("labels");
        thread.labels().forEach(labels::add);
        ArrayNode forkList = json.putArray("forks");
        for (ThreadFork fork : forks) {
            ObjectNode entry = forkList.addObject();
            entry.put("fork_id", fork.forkId());
            entry.put("forked_from", fork.forkedFrom().orElse(null));
            entry.put("state", fork.state());
            entry.put("subject", fork.subject().orElse(null));
        }
        ArrayNode links = json.putArray("linked_threads");
        for (ThreadLink link : linkedThreads) {
            links.addObject().put("thread_id", link.threadId()).put("relation", link.relation());
        }
        json.put("cap_epoch", thread.capEpoch());
        // End-to-end encryption of threads is not offered by this node, so every thread reports it off.
        ObjectNode encryption = json.putObject("encryption");
        encryption.put("enabled", false);
        encryption.putNull("profile");
        encryption.put("key_epoch", 0);
        return json;
    }
}
