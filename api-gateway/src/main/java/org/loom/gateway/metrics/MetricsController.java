package org.loom.gateway.metrics;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import org.loom.gateway.admin.AdminToken;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /metrics}: the node's metrics for Prometheus; the operator's unless {@code LOOM_METRICS_PUBLIC}. */
@RestController
class MetricsController {

    private final NodeMetrics metrics;
    private final AdminToken admin;

    MetricsController(NodeMetrics metrics, AdminToken admin) {
        this.metrics = metrics;
        this.admin = admin;
    }

    @GetMapping("/metrics")
    ResponseEntity<byte[]> metrics(HttpServletRequest request) {
        if (!admin.settings().metricsPublic()) {
            admin.require(request);
        }
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, NodeMetrics.CONTENT_TYPE)
                .body(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
