package org.loom.gateway.email;

import jakarta.servlet.http.HttpServletRequest;
import org.loom.gateway.auth.Actor;
import org.loom.gateway.auth.Authenticator;
import org.loom.gateway.forward.InternalForwarder;
import org.loom.gateway.forward.InternalService;
import org.loom.gateway.idempotency.IdempotencyKey;
import org.loom.gateway.idempotency.Idempotent;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The email routes, owned by the email-bridge: the gateway authenticates the caller and forwards the request with its
 * body unchanged (a raw RFC 5322 message included). Routes that queue or create something honour an
 * {@code Idempotency-Key}.
 */
@RestController
class EmailForwardingController {

    private final Authenticator authenticator;
    private final InternalForwarder forwarder;

    EmailForwardingController(Authenticator authenticator, InternalForwarder forwarder) {
        this.authenticator = authenticator;
        this.forwarder = forwarder;
    }

    @Idempotent
    @PostMapping({"/v1/email/outbox", "/v1/bridge/email/send", "/v1/bridge/email/inbound",
            "/v1/gateway/smtp/submit"})
    ResponseEntity<byte[]> create(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        // The key goes along: if this answer is lost, the gateway frees the key and a retry comes through again,
        // and the email-bridge then finds the item the first request queued.
        Actor actor = authenticator.requireActor(request);
        return forwarder.forward(InternalService.EMAIL_BRIDGE, request, actor, body, IdempotencyKey.HEADERS)
                .toResponseEntity();
    }

    @PostMapping({"/v1/bridge/email/outbound", "/v1/email/outbox/process", "/v1/email/outbox/{id}/process",
            "/v1/email/outbox/{id}/requeue"})
    ResponseEntity<byte[]> act(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        return forward(request, body);
    }

    @GetMapping({"/v1/email/outbox", "/v1/gateway/imap/folders", "/v1/gateway/imap/folders/{folder}/messages"})
    ResponseEntity<byte[]> read(HttpServletRequest request) {
        return forward(request, null);
    }

    private ResponseEntity<byte[]> forward(HttpServletRequest request, byte[] body) {
        Actor actor = authenticator.requireActor(request);
        return forwarder.forward(InternalService.EMAIL_BRIDGE, request, actor, body).toResponseEntity();
    }
}
