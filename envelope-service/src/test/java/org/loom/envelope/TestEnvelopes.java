package org.loom.envelope;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds signed envelopes as clients send them: each identity signs with a key of its own, generated on first use.
 */
public final class TestEnvelopes {

    private final Map<String, SigningKey> keys = new HashMap<>();

    /** A fresh thread id. */
    public static String newThreadId() {
        return LoomIds.next(IdPrefix.THREAD);
    }

    /** A fresh envelope id. */
    public static String newEnvelopeId() {
        return LoomIds.next(IdPrefix.ENVELOPE);
    }

    /** A signed {@code message} envelope. */
    public ObjectNode message(String id, String threadId, String parentId, String from, Instant createdAt,
            String... to) {
        ObjectNode envelope = header(id, threadId, parentId, "message", from, createdAt, to);
        ObjectNode human = envelope.putObject("content").putObject("human");
        human.put("text", "Hello from " + from);
        human.put("format", "plaintext");
        return sign(envelope, from);
    }

    /** A signed {@code thread_op} envelope carrying the intent and parameters. */
    public ObjectNode threadOp(String threadId, String from, String intent, ObjectNode parameters, Instant createdAt,
            String... to) {
        ObjectNode envelope = header(newEnvelopeId(), threadId, null, "thread_op", from, createdAt, to);
        ObjectNode structured = envelope.putObject("content").putObject("structured");
        structured.put("intent", intent);
        structured.set("parameters", parameters == null ? LoomJson.mapper().createObjectNode() : parameters);
        return sign(envelope, from);
    }

    /** The identity's signing key, generated on first use. */
    public SigningKey keyOf(String identity) {
        return keys.computeIfAbsent(identity, ignored -> SigningKey.generate());
    }

    /** The id of the identity's signing key. */
    public static String keyIdOf(String identity) {
        return keyId(identity);
    }

    /** Signs (or re-signs) the envelope with the identity's key. */
    public ObjectNode sign(ObjectNode envelope, String identity) {
        SigningKey key = keys.computeIfAbsent(identity, ignored -> SigningKey.generate());
        return EnvelopeSignatures.sign(envelope, key, keyId(identity));
    }

    private static ObjectNode header(String id, String threadId, String parentId, String type, String from,
            Instant createdAt, String... to) {
        ObjectNode envelope = LoomJson.mapper().createObjectNode();
        envelope.put("loom", "1.1");
        envelope.put("id", id);
        envelope.put("thread_id", threadId);
        envelope.put("parent_id", parentId);
        envelope.put("type", type);
        ObjectNode sender = envelope.putObject("from");
        sender.put("identity", from);
        sender.put("key_id", keyId(from));
        sender.put("type", "human");
        ArrayNode recipients = envelope.putArray("to");
        for (String recipient : to) {
            recipients.addObject().put("identity", recipient).put("role", "primary");
        }
        envelope.put("created_at", Timestamps.format(createdAt));
        return envelope;
    }

    private static String keyId(String identity) {
        return "k_sign_" + identity.substring("loom://".length()).replace('@', '_').replace('.', '_');
    }
}
