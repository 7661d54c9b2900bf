package org.loom.federation.node;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import org.loom.federation.inbound.NodeReputation;
import org.loom.federation.web.Callers;
import org.loom.protocol.json.LoomJson;
import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The node registry routes. Any identity the gateway has authenticated (named in {@code X-LOOM-Actor}) may list the
 * nodes, but only the administrator may register or overwrite one: a registration carries the keys, delivery URL and
 * policy the node trusts for a whole domain, so an ordinary identity could otherwise lift a deny or vouch for itself.
 */
@RestController
class NodeController {

    private final NodeRegistration registration;
    private final NodeBootstrap bootstrap;
    private final NodeRegistry registry;
    private final NodeReputation reputation;
    private final Clock clock;

    NodeController(NodeRegistration registration, NodeBootstrap bootstrap, NodeRegistry registry,
            NodeReputation reputation, Clock clock) {
        this.registration = registration;
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.reputation = reputation;
        this.clock = clock;
    }

    @PostMapping("/v1/federation/nodes")
    ResponseEntity<byte[]> register(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        Callers.requireAdmin(request);
        FederatedNode node = registration.register(LoomJson.parse(body), Callers.ADMIN_ACTOR);
        return JsonResponses.created(node.toJson(clock.instant()));
    }

    @GetMapping("/v1/federation/nodes")
    ResponseEntity<byte[]> list(HttpServletRequest request) {
        Callers.require(request);
        Instant now = clock.instant();
        ObjectNode response = LoomJson.mapper().createObjectNode();
        ArrayNode nodes = response.putArray("nodes");
        for (FederatedNode node : registry.list()) {
            nodes.add(reputation.refreshed(node.nodeId()).orElse(node).toJson(now));
        }
        return JsonResponses.ok(response);
    }

    @PostMapping("/v1/federation/nodes/bootstrap")
    ResponseEntity<byte[]> bootstrap(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        Callers.requireAdmin(request);
        JsonNode parsed = LoomJson.parse(body);
        return JsonResponses.created(bootstrap.bootstrap(parsed, Callers.ADMIN_ACTOR));
    }
}
