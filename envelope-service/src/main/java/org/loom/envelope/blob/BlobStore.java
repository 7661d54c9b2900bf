package org.loom.envelope.blob;

import java.io.IOException;
import java.util.List;

/**
 * Where blob bytes are kept. Metadata (owner, status, hash) is in the database; a store only keeps bytes under a blob
 * id that {@link BlobIds} has already checked, so an implementation never sees a caller-made path.
 *
 * <p>Writes are durable when they return: the database row that makes a part or a blob visible is committed only
 * afterwards, so nothing the node has acknowledged can be missing from the store.
 */
public interface BlobStore {

    /** Stores (or replaces) one uploaded part. */
    void writePart(String blobId, int partNumber, byte[] data) throws IOException;

    /**
     * Joins the given parts, in the order given, into the blob's content, replacing any earlier content.
     *
     * @return the length and SHA-256 of the content
     */
    Written assemble(String blobId, List<Integer> partNumbers) throws IOException;

    /** The blob's assembled content. */
    byte[] read(String blobId) throws IOException;

    /** Removes the parts once the assembled content is committed; the content stays. */
    void discardParts(String blobId) throws IOException;

    /** Length and lower-case hex SHA-256 of assembled content. */
    record Written(long sizeBytes, String sha256Hex) {
    }
}
