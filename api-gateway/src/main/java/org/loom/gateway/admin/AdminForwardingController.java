package org.loom.gateway.admin;

import jakarta.servlet.http.HttpServletRequest;
import org.loom.gateway.forward.InternalForwarder;
import org.loom.gateway.forward.InternalService;
import org.loom.gateway.idempotency.IdempotencyKey;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhook and dead-letter admin routes: the gateway checks the admin token and forwards them, body unchanged, to the
 * delivery-worker, which owns webhooks, the webhook outbox and the dead-letter view.
 */
@RestController
class AdminForwardingController {

    private final AdminToken adminToken;
    private final InternalForwarder forwarder;

    AdminForwardingController(AdminToken adminToken, InternalForwarder forwarder) {
        this.adminToken = adminToken;
        this.forwarder = forwarder;
    }

    @RequestMapping(method = {RequestMethod.GET, RequestMethod.POST}, path = "/v1/webhooks")
    ResponseEntity<byte[]> webhooks(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        // The key goes along: the delivery-worker answers a retry after a lost answer with the webhook it registered.
        adminToken.require(request);
        return forwarder.forward(InternalService.DELIVERY_WORKER, request, null, body, true, IdempotencyKey.HEADERS)
                .toResponseEntity();
    }

    @RequestMapping(method = RequestMethod.DELETE, path = "/v1/webhooks/{id}")
    ResponseEntity<byte[]> webhook(HttpServletRequest request) {
        return forward(request, null);
    }

    @RequestMapping(method = RequestMethod.GET, path = {"/v1/webhooks/outbox", "/v1/outbox/dlq"})
    ResponseEntity<byte[]> listings(HttpServletRequest request) {
        return forward(request, null);
    }

    @RequestMapping(method = RequestMethod.POST, path = {"/v1/webhooks/outbox/process",
            "/v1/webhooks/outbox/{id}/process", "/v1/outbox/dlq/requeue"})
    ResponseEntity<byte[]> actions(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        return forward(request, body);
    }

    private ResponseEntity<byte[]> forward(HttpServletRequest request, byte[] body) {
        adminToken.require(request);
        return forwarder.forward(InternalService.DELIVERY_WORKER, request, null, body, true).toResponseEntity();
    }
}
