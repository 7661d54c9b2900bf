package org.loom.envelope.blob;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.loom.envelope.audience.EnvelopeReaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The {@code blob} and {@code blob_part} tables. Writers lock the blob row, so one blob's changes are sequential. */
@Repository
class BlobRepository {

    private static final String COLUMNS =
            "id, created_by, thread_id, filename, mime_type, size_bytes, status, hash, created_at, completed_at";

    private final JdbcClient jdbc;

    BlobRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    void insert(BlobRecord blob) {
        jdbc.sql("INSERT INTO blob (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(blob.id(), blob.createdBy(), blob.threadId().orElse(null), blob.filename().orElse(null),
                        blob.mimeType(), blob.sizeBytes(), blob.status(), blob.hash().orElse(null), blob.createdAt(),
                        blob.completedAt().orElse(null))
                .update();
    }

    Optional<BlobRecord> find(String blobId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM blob WHERE id = ?").param(blobId).query(BlobRepository::blob)
                .optional();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    Optional<BlobRecord> lock(String blobId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM blob WHERE id = ? FOR UPDATE").param(blobId)
                .query(BlobRepository::blob).optional();
    }

    /** Bytes held by the blob's parts other than {@code exceptPart}. */
    long partBytesExcept(String blobId, int exceptPart) {
        return jdbc.sql("SELECT COALESCE(SUM(size_bytes), 0) FROM blob_part WHERE blob_id = ? AND part_number <> ?")
                .params(blobId, exceptPart).query(Long.class).single();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    void putPart(String blobId, int partNumber, long sizeBytes) {
        int updated = jdbc.sql("UPDATE blob_part SET size_bytes = ? WHERE blob_id = ? AND part_number = ?")
                .params(sizeBytes, blobId, partNumber).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO blob_part (blob_id, part_number, size_bytes) VALUES (?, ?, ?)")
                    .params(blobId, partNumber, sizeBytes).update();
        }
    }

    /** The blob's part numbers, ascending. */
    List<Integer> partNumbers(String blobId) {
        return jdbc.sql("SELECT part_number FROM blob_part WHERE blob_id = ? ORDER BY part_number")
                .param(blobId).query(Integer.class).list();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    void complete(String blobId, long sizeBytes, String hash, String completedAt) {
        jdbc.sql("UPDATE blob SET status = ?, size_bytes = ?, hash = ?, completed_at = ? WHERE id = ?")
                .params(BlobRecord.COMPLETE, sizeBytes, hash, completedAt, blobId).update();
    }

    /**
     * True when the identity may read an envelope that attaches the blob: it is or was a participant of the
     * envelope's thread and the envelope's audience does not leave it out, or it is among the envelope's restricted
     * readers (a Bcc copy). The stored envelope text is compact JSON written by this node, so a reference appears
     * exactly as {@code "blob_id":"<id>"}; the id is a checked ULID, so it carries no LIKE wildcards. Only the
     * envelopes of the identity's own threads are searched, not the whole store.
     */
    boolean referencedInEnvelopeReadableBy(String blobId, String identity) {
        return jdbc.sql("SELECT COUNT(*) FROM (" + EnvelopeReaders.ACTOR_THREADS + ") mine JOIN envelope e"
                        + " ON e.thread_id = mine.thread_id WHERE e.json LIKE :pattern AND " + EnvelopeReaders.READABLE)
                .param("pattern", "%\"blob_id\":\"" + blobId + "\"%")
                .param("actor", identity)
                .query(Long.class).single() > 0;
    }

    private static BlobRecord blob(ResultSet rs, int row) throws SQLException {
        return new BlobRecord(
                rs.getString("id"),
                rs.getString("created_by"),
                Optional.ofNullable(rs.getString("thread_id")),
                Optional.ofNullable(rs.getString("filename")),
                rs.getString("mime_type"),
                rs.getLong("size_bytes"),
                rs.getString("status"),
                Optional.ofNullable(rs.getString("hash")),
                rs.getString("created_at"),
                Optional.ofNullable(rs.getString("completed_at")));
    }
}
