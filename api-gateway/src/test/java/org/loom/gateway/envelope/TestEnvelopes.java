package org.loom.gateway.envelope;

import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.node.ObjectNode;

/** Well-formed envelopes for the submission tests, signed with real Ed25519 keys. */
final class TestEnvelopes {

    private TestEnvelopes() {
    }

    /** An unsigned message from {@code from} to {@code to} opening a new thread. */
    static ObjectNode message(String from, String keyId, String type, String to) {
        ObjectNode envelope = LoomJson.mapper().createObjectNode()
                .put("loom", "1.1")
                .put("id", LoomIds.next(IdPrefix.ENVELOPE))
                .put("thread_id", LoomIds.next(IdPrefix.THREAD))
                .putNull("parent_id")
                .put("type", "message");
        ObjectNode sender = envelope.putObject("from").put("identity", from).put("key_id", keyId).put("type", type);
        if ("agent".equals(type)) {
            sender.putArray("delegation_chain");
        }
        envelope.putArray("to").addObject().put("identity", to).put("role", "primary");
        envelope.put("created_at", Timestamps.format(java.time.Instant.now()));
        envelope.put("priority", "normal");
        envelope.putObject("content").putObject("human").put("text", "Hello from the gateway tests");
        return envelope;
    }

    /** An unsigned thread operation on {@code threadId}. */
    static ObjectNode threadOp(String from, String keyId, String threadId, String to) {
        ObjectNode envelope = message(from, keyId, "human", to);
        envelope.put("thread_id", threadId).put("type", "thread_op");
        ObjectNode content = envelope.putObject("content");
        content.putObject("structured").put("intent", "thread.resolve@v1").putObject("parameters");
        return envelope;
    }

    static ObjectNode signed(ObjectNode envelope, SigningKey key, String keyId) {
        return EnvelopeSignatures.sign(envelope, key, keyId);
    }
}
