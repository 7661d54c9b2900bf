package org.loom.envelope.blob;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Blob storage and limits, bound from {@code loom.blobs.*}.
 *
 * @param directory where the filesystem store keeps blob bytes ({@code LOOM_BLOB_DIR}; default
 *                  {@code ${LOOM_DATA_DIR}/blobs})
 * @param maxBytes  largest blob, all its parts together ({@code LOOM_BLOB_MAX_BYTES})
 * @param maxParts  highest part number accepted ({@code LOOM_BLOB_MAX_PARTS})
 */
@ConfigurationProperties("loom.blobs")
public record BlobSettings(
        @DefaultValue("./data/blobs") Path directory,
        @DefaultValue("104857600") long maxBytes,
        @DefaultValue("10000") int maxParts) {

    public BlobSettings {
        if (directory == null) {
            throw new IllegalArgumentException("loom.blobs.directory must be set");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("loom.blobs.max-bytes must be positive");
        }
        if (maxParts < 1) {
            throw new IllegalArgumentException("loom.blobs.max-parts must be positive");
        }
    }
}
