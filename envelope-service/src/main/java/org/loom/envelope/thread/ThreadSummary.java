package org.loom.envelope.thread;

import java.util.Objects;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API view of a thread: {@code id, root_envelope_id, subject, state, created_at, updated_at, participants,
 * labels, cap_epoch, encryption}, in that order.
 */
public record ThreadSummary(ThreadRecord thread, Participants participants) {

    public ThreadSummary {
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(participants, "participants");
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
        json.put("cap_epoch", thread.capEpoch());
        // End-to-end encryption of threads is not offered by this node, so every thread reports it off.
        ObjectNode encryption = json.putObject("encryption");
        encryption.put("enabled", false);
        encryption.putNull("profile");
        encryption.put("key_epoch", 0);
        return json;
    }
}
