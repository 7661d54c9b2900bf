package org.loom.gateway.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.loom.gateway.forward.InternalProbes;
import org.loom.gateway.forward.InternalService;
import org.loom.gateway.idempotency.IdempotencySettings;
import org.loom.gateway.idempotency.IdempotencyStore;
import org.loom.gateway.metrics.RequestMetrics;
import org.loom.gateway.web.ReadinessProbe;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.loom.service.operations.ServiceStatusController;
import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /v1/admin/status}: the operator's view of the whole node. The gateway reports its own request counts,
 * readiness and idempotency records, then asks every internal service for its status report; a part named
 * {@code outbox} in a service's report (its delivery queues by kind) is also lifted into the top-level {@code outbox},
 * where the reference node has it.
 */
@RestController
class AdminStatusController {

    private final AdminToken admin;
    private final RequestMetrics metrics;
    private final ReadinessProbe readiness;
    private final IdempotencyStore idempotency;
    private final IdempotencySettings idempotencySettings;
    private final InternalProbes probes;

    AdminStatusController(AdminToken admin, RequestMetrics metrics, ReadinessProbe readiness,
            IdempotencyStore idempotency, IdempotencySettings idempotencySettings, InternalProbes probes) {
        this.admin = admin;
        this.metrics = metrics;
        this.readiness = readiness;
        this.idempotency = idempotency;
        this.idempotencySettings = idempotencySettings;
        this.probes = probes;
    }

    @GetMapping("/v1/admin/status")
    ResponseEntity<byte[]> status(HttpServletRequest request) {
        admin.require(request);
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("service", "loom-node");
        body.put("timestamp", Timestamps.format(Instant.now()));
        body.set("metrics", metrics.toJson());

        ReadinessProbe.Report report = readiness.report();
        ObjectNode ready = body.putObject("readiness");
        ready.put("ready", report.ready());
        ObjectNode checks = ready.putObject("checks");
        report.checks().forEach((name, ok) -> checks.put(name, ok ? "ok" : "failing"));

        ObjectNode idempotencyStatus = body.putObject("idempotency");
        idempotencyStatus.put("ttl_ms", idempotencySettings.ttl().toMillis());
        idempotencyStatus.put("max_entries", idempotencySettings.maxEntries());
        idempotencyStatus.put("entries", idempotency.entries());

        ObjectNode outbox = body.putObject("outbox");
        ObjectNode services = body.putObject("services");
        for (Map.Entry<InternalService, Optional<String>> answer
                : probes.getAll(ServiceStatusController.PATH, "application/json").entrySet()) {
            String name = answer.getKey().serviceName();
            Optional<JsonNode> serviceReport = answer.getValue().flatMap(AdminStatusController::parse);
            if (serviceReport.isEmpty()) {
                services.putObject(name).put("reachable", false);
                continue;
            }
            ObjectNode serviceStatus = (ObjectNode) serviceReport.get();
            serviceStatus.put("reachable", true);
            services.set(name, serviceStatus);
            JsonNode queues = serviceStatus.get("outbox");
            if (queues != null && queues.isObject()) {
                queues.properties().forEach(kind -> outbox.set(kind.getKey(), kind.getValue()));
            }
        }
        return JsonResponses.ok(body);
    }

    private static Optional<JsonNode> parse(String text) {
        try {
            JsonNode node = LoomJson.parse(text);
            return node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (LoomException e) {
            return Optional.empty();
        }
    }
}
