package org.loom.service.persistence;

import java.nio.charset.StandardCharsets;
import org.loom.protocol.json.LoomJson;
import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The internal backup routes of a service with a database. Reachable on the node's internal network only; the
 * gateway's admin routes call them and never forward {@code /internal/**} from clients.
 */
@RestController
public class PersistenceController {

    public static final String SCHEMA_PATH = "/internal/persistence/schema";
    public static final String EXPORT_PATH = "/internal/persistence/export";
    public static final String IMPORT_PATH = "/internal/persistence/import";

    private final ServiceBackup backup;

    public PersistenceController(ServiceBackup backup) {
        this.backup = backup;
    }

    @GetMapping(SCHEMA_PATH)
    public ResponseEntity<byte[]> schema() {
        return JsonResponses.ok(backup.schema());
    }

    @GetMapping(EXPORT_PATH)
    public ResponseEntity<StreamingResponseBody> export() {
        return ResponseEntity.ok().contentType(JsonResponses.JSON_UTF8).body(backup::export);
    }

    @PostMapping(IMPORT_PATH)
    public ResponseEntity<byte[]> restore(@RequestBody(required = false) byte[] body) {
        return JsonResponses.ok(backup.restore(LoomJson.parse(body == null ? "{}".getBytes(StandardCharsets.UTF_8)
                : body)));
    }
}
