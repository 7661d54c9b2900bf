package org.loom.launcher;

import java.util.List;

import org.loom.delivery.DeliveryWorkerApplication;
import org.loom.email.EmailBridgeApplication;
import org.loom.envelope.EnvelopeServiceApplication;
import org.loom.federation.FederationServiceApplication;
import org.loom.gateway.ApiGatewayApplication;

/**
 * The five services of the node. A service that starts keeping tables gains its schema here, with
 * {@link NodeService#withDatabase(String)}, and nothing else in the launcher changes.
 */
public final class NodeServices {

    /** The public HTTP surface; started last, once everything it forwards to is up. */
    public static final NodeService GATEWAY = NodeService.of("api-gateway", ApiGatewayApplication.class).withDatabase("gateway");

    /** The services reached only through the gateway and Kafka, in start order. */
    public static final List<NodeService> INTERNAL = List.of(
            NodeService.of("envelope-service", EnvelopeServiceApplication.class).withDatabase("envelope"),
            NodeService.of("federation-service", FederationServiceApplication.class).withDatabase("federation"),
            NodeService.of("delivery-worker", DeliveryWorkerApplication.class).withDatabase("delivery"),
            NodeService.of("email-bridge", EmailBridgeApplication.class).withDatabase("email"));

    private NodeServices() {
    }
}
