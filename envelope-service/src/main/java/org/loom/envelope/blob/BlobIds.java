package org.loom.envelope.blob;

import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;

/** Blob ids as they arrive in paths: only {@code blob_} followed by a ULID names a blob, anything else is unknown. */
final class BlobIds {

    private BlobIds() {
    }

    /**
     * The id, when it is well formed.
     *
     * @throws LoomException {@code ENVELOPE_NOT_FOUND} "Blob not found" otherwise, the same answer as for a blob that
     *                       does not exist; such a text never reaches the blob store
     */
    static String require(String text) {
        if (text == null || !LoomIds.isValid(IdPrefix.BLOB, text)) {
            throw notFound(text);
        }
        return text;
    }

    static LoomException notFound(String blobId) {
        return new LoomException(ErrorCode.ENVELOPE_NOT_FOUND, "Blob not found",
                LoomException.details("blob_id", blobId == null ? "" : blobId));
    }
}
