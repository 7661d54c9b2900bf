package org.loom.protocol.audit;

import java.util.Objects;
import java.util.Optional;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One link of the audit hash chain (spec §25.1).
 *
 * <p>The hashed text is the JSON object {@code {event_id, timestamp, action, payload, prev_hash}} in that key order,
 * with the payload's keys in the order its producer wrote them; {@code hash} is the lower-case hex SHA-256 of that
 * text's UTF-8 bytes. The chain stores the text itself rather than re-serialising it, so verification recomputes
 * the hash over exactly the bytes that were hashed.
 *
 * @param hashedText the exact text the hash covers
 * @param hash       lower-case hex SHA-256 of {@code hashedText}
 */
public record AuditEntry(String hashedText, String hash) {

    public AuditEntry {
        Objects.requireNonNull(hashedText, "hashedText");
        Objects.requireNonNull(hash, "hash");
    }

    /** The entry that follows {@code prevHash} (null for the first entry of a chain). */
    public static AuditEntry next(String prevHash, String eventId, String timestamp, String action,
            JsonNode payload) {
        ObjectNode hashed = LoomJson.mapper().createObjectNode();
        hashed.put("event_id", eventId);
        hashed.put("timestamp", timestamp);
        hashed.put("action", action);
        hashed.set("payload", payload == null ? LoomJson.mapper().createObjectNode() : payload.deepCopy());
        hashed.put("prev_hash", prevHash);
        String text = LoomJson.write(hashed);
        return new AuditEntry(text, Sha256.hex(text));
    }

    /** The entry as the API shows it: the hashed object followed by {@code hash}. */
    public ObjectNode toJson() {
        ObjectNode json = (ObjectNode) LoomJson.parse(hashedText);
        json.put("hash", hash);
        return json;
    }

    /**
     * Why this stored entry does not belong after {@code expectedPrevHash}; empty when it does. Checks that the stored
     * hash is the hash of the stored text and that the text names the expected previous hash.
     */
    public Optional<String> brokenAfter(String expectedPrevHash) {
        if (!Sha256.hex(hashedText).equals(hash)) {
            return Optional.of("hash_mismatch");
        }
        JsonNode parsed;
        try {
            parsed = LoomJson.parse(hashedText);
        } catch (RuntimeException e) {
            return Optional.of("unreadable");
        }
        JsonNode prev = parsed.get("prev_hash");
        String named = prev == null || prev.isNull() ? null : prev.asString();
        if (!Objects.equals(named, expectedPrevHash)) {
            return Optional.of("prev_hash_mismatch");
        }
        return Optional.empty();
    }
}
