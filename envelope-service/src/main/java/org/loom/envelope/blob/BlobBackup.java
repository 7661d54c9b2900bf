package org.loom.envelope.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.service.persistence.BackupContributor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * Carries the bytes of complete blobs in the envelope-service's backup ({@code extras.blobs}:
 * {@code {<blob id>: <base64 content>}}); the metadata travels with the tables. Parts of blobs still being uploaded
 * are not carried: such a blob must be uploaded again after a restore.
 */
@Component
class BlobBackup implements BackupContributor {

    private final JdbcClient jdbc;
    private final BlobStore store;

    BlobBackup(JdbcClient jdbc, BlobStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    @Override
    public String name() {
        return "blobs";
    }

    @Override
    public void export(JsonGenerator out) {
        List<String> complete = jdbc.sql("SELECT id FROM blob WHERE status = ? ORDER BY id")
                .param(BlobRecord.COMPLETE).query(String.class).list();
        out.writeStartObject();
        for (String id : complete) {
            try {
                out.writeStringProperty(id, Base64.getEncoder().encodeToString(store.read(id)));
            } catch (IOException e) {
                throw new UncheckedIOException("blob " + id + " could not be read for the backup", e);
            }
        }
        out.writeEndObject();
    }

    /** {@code {<blob id>: <base64 content>}}: anything else is refused before the restore starts. */
    @Override
    public void check(JsonNode value) {
        if (value == null || !value.isObject()) {
            throw LoomException.invalid("Backup extras.blobs must be an object",
                    LoomException.details("field", "extras.blobs"));
        }
        for (String id : value.propertyNames()) {
            JsonNode content = value.get(id);
            if (!LoomIds.isValid(IdPrefix.BLOB, id) || !content.isString()) {
                throw LoomException.invalid("Backup extras.blobs holds an entry that is not a blob",
                        LoomException.details("field", "extras.blobs", "blob_id", id));
            }
            try {
                Base64.getDecoder().decode(content.stringValue());
            } catch (IllegalArgumentException e) {
                throw LoomException.invalid("Backup blob content is not base64",
                        LoomException.details("field", "extras.blobs", "blob_id", id));
            }
        }
    }

    @Override
    public void restore(JsonNode value) {
        for (String id : value.propertyNames()) {
            byte[] content = Base64.getDecoder().decode(value.get(id).asString());
            try {
                store.writePart(BlobIds.require(id), 1, content);
                store.assemble(id, List.of(1));
                store.discardParts(id);
            } catch (IOException e) {
                throw new UncheckedIOException("blob " + id + " could not be restored", e);
            }
        }
    }
}
