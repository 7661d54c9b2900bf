package org.loom.service.operations;

import java.time.Instant;
import java.util.List;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.loom.service.web.JsonResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /internal/status}: {@code {service, timestamp, <part>: {...}}} from every
 * {@link ServiceStatusContributor}.
 * Like the other internal routes it is reachable only on the node's internal network; the gateway never forwards
 * {@code /internal/**} and shows the result to the operator only.
 */
@RestController
public class ServiceStatusController {

    /** The route's path. */
    public static final String PATH = "/internal/status";

    private static final Logger log = LoggerFactory.getLogger(ServiceStatusController.class);

    private final String service;
    private final List<ServiceStatusContributor> contributors;

    public ServiceStatusController(@Value("${spring.application.name}") String service,
            ObjectProvider<ServiceStatusContributor> contributors) {
        this.service = service;
        this.contributors = contributors.orderedStream().toList();
    }

    @GetMapping(PATH)
    public ResponseEntity<byte[]> status() {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("service", service);
        body.put("timestamp", Timestamps.format(Instant.now()));
        for (ServiceStatusContributor contributor : contributors) {
            try {
                JsonNode part = contributor.status();
                if (part != null) {
                    body.set(contributor.name(), part);
                }
            } catch (RuntimeException e) {
                // One failing part (its table unreachable, say) must not hide the others from the operator.
                log.warn("Status part '{}' failed: {}", contributor.name(), e.toString());
                body.putObject(contributor.name()).put("error", e.getClass().getSimpleName());
            }
        }
        return JsonResponses.ok(body);
    }
}
