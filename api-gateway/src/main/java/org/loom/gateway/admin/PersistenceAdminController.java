package org.loom.gateway.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.loom.gateway.forward.InternalProbes;
import org.loom.gateway.forward.InternalService;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.loom.service.persistence.PersistenceController;
import org.loom.service.persistence.ServiceBackup;
import org.loom.service.web.JsonResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The node's backup: one JSON document holding every service's part, each exported by the service itself
 * ({@link ServiceBackup}) as a consistent snapshot of its own tables. The gateway writes its own part and streams the
 * internal services' parts through, so a large backup is never held in memory here.
 *
 * <p>Document, version {@value #BACKUP_VERSION}: {@code {loom_backup_version, format: "loom-node-services",
 * exported_at, services: {<service>: <part>}}}.
 */
@RestController
class PersistenceAdminController {

    static final int BACKUP_VERSION = 1;
    static final String FORMAT = "loom-node-services";

    private static final Logger log = LoggerFactory.getLogger(PersistenceAdminController.class);

    private final AdminToken admin;
    private final ServiceBackup gatewayBackup;
    private final InternalProbes probes;

    PersistenceAdminController(AdminToken admin, ServiceBackup gatewayBackup, InternalProbes probes) {
        this.admin = admin;
        this.gatewayBackup = gatewayBackup;
        this.probes = probes;
    }

    /** {@code {backup_version, services: {<service>: {schema, schema_version, initialized, database}}}}. */
    @GetMapping("/v1/admin/persistence/schema")
    ResponseEntity<byte[]> schema(HttpServletRequest request) {
        admin.require(request);
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("backup_version", BACKUP_VERSION);
        ObjectNode services = body.putObject("services");
        services.set(gatewayBackup.service(), gatewayBackup.schema());
        probes.getAll(PersistenceController.SCHEMA_PATH, "application/json").forEach((service, answer) -> services.set(
                service.serviceName(), answer.map(LoomJson::parse).orElseGet(() -> unreachable())));
        return JsonResponses.ok(body);
    }

    @GetMapping("/v1/admin/persistence/backup")
    ResponseEntity<StreamingResponseBody> backup(HttpServletRequest request) {
        admin.require(request);
        // Every service must be there before the first byte goes out: a missing part is refused now, not found
        // later in a backup that looked complete.
        Map<InternalService, Optional<String>> reachable =
                probes.getAll(PersistenceController.SCHEMA_PATH, "application/json");
        reachable.forEach((service, answer) -> {
            if (answer.isEmpty()) {
                throw new LoomException(org.loom.protocol.error.ErrorCode.NODE_UNREACHABLE,
                        "Internal service unavailable: " + service.serviceName(),
                        LoomException.details("service", service.serviceName(), "reason", "connection_failed"));
            }
        });
        StreamingResponseBody body = out -> {
            log.info("Backup started");
            write(out, "{\"loom_backup_version\":" + BACKUP_VERSION + ",\"format\":\"" + FORMAT
                    + "\",\"exported_at\":\"" + Timestamps.format(Instant.now()) + "\",\"services\":{");
            write(out, quoted(gatewayBackup.service()) + ":");
            gatewayBackup.export(out);
            for (InternalService service : reachable.keySet()) {
                write(out, "," + quoted(service.serviceName()) + ":");
                try (InputStream part = probes.stream(service, PersistenceController.EXPORT_PATH)) {
                    long bytes = part.transferTo(out);
                    log.info("Backup: {} part, {} bytes", service.serviceName(), bytes);
                }
            }
            write(out, "}}");
            log.info("Backup finished");
        };
        return ResponseEntity.ok().contentType(JsonResponses.JSON_UTF8)
                .header("Content-Disposition", "attachment; filename=\"loom-backup.json\"").body(body);
    }

    /**
     * {@code {confirm: "restore", backup: {...}}} (or the backup's fields at the top level): replaces each service's
     * state with its part. Every part is checked to name a known service before any is imported; each service then
     * imports its part in one transaction of its own.
     */
    @PostMapping(AdminToken.RESTORE_PATH)
    ResponseEntity<byte[]> restore(HttpServletRequest request, @RequestBody(required = false) byte[] raw) {
        admin.require(request);
        JsonNode body = LoomJson.parse(raw);
        if (!"restore".equals(body.path("confirm").asString(""))) {
            throw LoomException.invalid("Restore requires confirm=\"restore\"",
                    LoomException.details("field", "confirm"));
        }
        JsonNode backup = body.has("backup") ? body.get("backup") : body;
        if (backup.path("loom_backup_version").asInt(-1) != BACKUP_VERSION
                || !FORMAT.equals(backup.path("format").asString(""))) {
            throw LoomException.invalid("Backup is not a version " + BACKUP_VERSION + " " + FORMAT + " document",
                    LoomException.details("field", "loom_backup_version"));
        }
        JsonNode parts = backup.path("services");
        if (!parts.isObject() || parts.isEmpty()) {
            throw LoomException.invalid("Backup holds no service parts", LoomException.details("field", "services"));
        }
        Map<String, InternalService> internal = new LinkedHashMap<>();
        Arrays.stream(InternalService.values()).forEach(service -> internal.put(service.serviceName(), service));
        for (String name : parts.propertyNames()) {
            if (!name.equals(gatewayBackup.service()) && !internal.containsKey(name)) {
                throw LoomException.invalid("Backup holds a part for an unknown service",
                        LoomException.details("service", name));
            }
        }
        log.info("Restore started: {}", parts.propertyNames());
        ObjectNode answer = LoomJson.mapper().createObjectNode();
        ObjectNode results = LoomJson.mapper().createObjectNode();
        for (String name : parts.propertyNames()) {
            if (name.equals(gatewayBackup.service())) {
                results.set(name, gatewayBackup.restore(parts.get(name)));
                continue;
            }
            HttpResponse<byte[]> response = probes.post(internal.get(name), PersistenceController.IMPORT_PATH,
                    LoomJson.writeBytes(parts.get(name)));
            JsonNode result = LoomJson.parse(response.body());
            if (response.statusCode() != 200) {
                // The service's own protocol error (a part it cannot take) is the answer, with what was done so far.
                log.warn("Restore of {} refused: {}", name, result);
                throw LoomException.invalid("Restore of " + name + " failed: "
                        + result.at("/error/message").asString("status " + response.statusCode()),
                        LoomException.details("service", name, "restored", results));
            }
            results.set(name, result);
        }
        answer.put("restored_at", Timestamps.format(Instant.now()));
        answer.set("services", results);
        log.info("Restore finished");
        return JsonResponses.ok(answer);
    }

    private static ObjectNode unreachable() {
        ObjectNode node = LoomJson.mapper().createObjectNode();
        node.put("reachable", false);
        return node;
    }

    private static String quoted(String text) {
        return LoomJson.write(StringNode.valueOf(text));
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
