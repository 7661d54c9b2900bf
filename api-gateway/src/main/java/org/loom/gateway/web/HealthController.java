package org.loom.gateway.web;

import java.time.Instant;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/** Liveness, readiness and the browser's favicon request: the routes that need no authentication and no state. */
@RestController
class HealthController {

    /** The service name in health and readiness bodies. */
    static final String SERVICE = "loom-node";

    private final ReadinessProbe readiness;

    HealthController(ReadinessProbe readiness) {
        this.readiness = readiness;
    }

    @GetMapping("/health")
    ResponseEntity<byte[]> health() {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("ok", true);
        body.put("service", SERVICE);
        body.put("timestamp", Timestamps.format(Instant.now()));
        return JsonResponses.ok(body);
    }

    @GetMapping("/favicon.ico")
    ResponseEntity<Void> favicon() {
        return ResponseEntity.noContent().build();
    }

    /** 200 when every readiness check passes, 503 with the same shape otherwise. */
    @GetMapping("/ready")
    ResponseEntity<byte[]> ready() {
        ReadinessProbe.Report report = readiness.report();
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("ok", report.ready());
        body.put("ready", report.ready());
        body.put("service", SERVICE);
        body.put("timestamp", Timestamps.format(Instant.now()));
        ObjectNode checks = body.putObject("checks");
        report.checks().forEach((name, ok) -> checks.put(name, ok ? "ok" : "failing"));
        return JsonResponses.status(report.ready() ? 200 : 503, body);
    }
}
