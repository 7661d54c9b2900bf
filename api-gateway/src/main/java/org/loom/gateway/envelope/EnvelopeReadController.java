package org.loom.gateway.envelope;

import jakarta.servlet.http.HttpServletRequest;
import org.loom.gateway.auth.Actor;
import org.loom.gateway.auth.Authenticator;
import org.loom.gateway.forward.InternalForwarder;
import org.loom.gateway.forward.InternalService;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Envelope, thread, search and mailbox reads. The envelope-service owns the data and decides what the caller may see; the gateway
 * authenticates the caller and forwards the request to it.
 *
 * <p>Every read needs a bearer token, because what a caller may see depends on who it is (audience and BCC rules).
 */
@RestController
class EnvelopeReadController {

    private final Authenticator authenticator;
    private final InternalForwarder forwarder;

    EnvelopeReadController(Authenticator authenticator, InternalForwarder forwarder) {
        this.authenticator = authenticator;
        this.forwarder = forwarder;
    }

    @GetMapping({"/v1/envelopes/{envelopeId}", "/v1/threads", "/v1/threads/{threadId}",
            "/v1/threads/{threadId}/envelopes", "/v1/search", "/v1/mailbox/threads/{threadId}"})
    ResponseEntity<byte[]> read(HttpServletRequest request) {
        Actor actor = authenticator.requireActor(request);
        return forwarder.forward(InternalService.ENVELOPE_SERVICE, request, actor, null).toResponseEntity();
    }
}
