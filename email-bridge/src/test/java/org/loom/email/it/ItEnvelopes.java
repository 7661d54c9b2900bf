package org.loom.email.it;

import java.time.Instant;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Signed envelopes for the integration tests; recipients are written {@code "<identity> <role>"}. */
final class ItEnvelopes {

    private static final SigningKey KEY = SigningKey.generate();

    private ItEnvelopes() {
    }

    static ObjectNode message(String from, String threadId, String parentId, String text, String... recipients) {
        return message(from, threadId, parentId, text, null, recipients);
    }

    /** A message attaching blobs ({@code attachments} as in the envelope; none when null). */
    static ObjectNode message(String from, String threadId, String parentId, String text, ArrayNode attachments,
            String... recipients) {
        ObjectNode envelope = header("message", from, threadId, parentId, recipients);
        ObjectNode content = envelope.putObject("content");
        content.putObject("human").put("text", text).put("format", "plaintext");
        content.putObject("structured").put("intent", "message.general@v1").putObject("parameters");
        content.put("encrypted", false);
        if (attachments != null) {
            envelope.set("attachments", attachments.deepCopy());
        }
        return EnvelopeSignatures.sign(envelope, KEY, "k_sign_test_1");
    }

    static ObjectNode threadOp(String from, String threadId, String intent, ObjectNode parameters,
            String... recipients) {
        ObjectNode envelope = header("thread_op", from, threadId, null, recipients);
        ObjectNode structured = envelope.putObject("content").putObject("structured");
        structured.put("intent", intent);
        structured.set("parameters", parameters);
        return EnvelopeSignatures.sign(envelope, KEY, "k_sign_test_1");
    }

    private static ObjectNode header(String type, String from, String threadId, String parentId,
            String... recipients) {
        ObjectNode envelope = LoomJson.mapper().createObjectNode();
        envelope.put("loom", "1.1");
        envelope.put("id", LoomIds.next(IdPrefix.ENVELOPE));
        envelope.put("thread_id", threadId);
        envelope.put("parent_id", parentId);
        envelope.put("type", type);
        envelope.putObject("from").put("identity", from).put("key_id", "k_sign_test_1").put("type", "human");
        ArrayNode to = envelope.putArray("to");
        for (String recipient : recipients) {
            String[] parts = recipient.split(" ");
            to.addObject().put("identity", parts[0]).put("role", parts[1]);
        }
        envelope.put("created_at", Timestamps.format(Instant.now()));
        return envelope;
    }
}
