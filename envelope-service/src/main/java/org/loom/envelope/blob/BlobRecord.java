package org.loom.envelope.blob;

import java.util.Optional;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.node.ObjectNode;

/**
 * One blob's metadata row.
 *
 * @param sizeBytes the declared size until the blob is complete, then the real length of its content
 * @param hash      {@code sha256:<hex>} once complete
 */
record BlobRecord(
        String id,
        String createdBy,
        Optional<String> threadId,
        Optional<String> filename,
        String mimeType,
        long sizeBytes,
        String status,
        Optional<String> hash,
        String createdAt,
        Optional<String> completedAt) {

    static final String PENDING = "pending";
    static final String COMPLETE = "complete";

    boolean complete() {
        return COMPLETE.equals(status);
    }

    /** The blob as {@code GET /v1/blobs/{id}} shows it, with {@code data_base64} still to be filled. */
    ObjectNode toJson(String dataBase64) {
        ObjectNode json = LoomJson.mapper().createObjectNode();
        json.put("id", id);
        json.put("created_by", createdBy);
        json.put("thread_id", threadId.orElse(null));
        json.put("filename", filename.orElse(null));
        json.put("mime_type", mimeType);
        json.put("size_bytes", sizeBytes);
        json.put("status", status);
        json.put("hash", hash.orElse(null));
        json.put("created_at", createdAt);
        json.put("completed_at", completedAt.orElse(null));
        json.put("data_base64", dataBase64);
        return json;
    }
}
