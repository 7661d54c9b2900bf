package org.loom.gateway.envelope;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.loom.gateway.auth.Actor;
import org.loom.gateway.auth.Authenticator;
import org.loom.gateway.forward.InternalForwarder;
import org.loom.gateway.forward.InternalService;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Envelope, thread, search and mailbox reads, and mailbox label changes. The envelope-service owns the data and
 * decides what the caller may see; the gateway authenticates the caller and forwards the request to it.
 *
 * <p>Every read needs a bearer token, because what a caller may see depends on who it is (audience and BCC rules).
 *
 * <p>Changes to the caller's own mailbox labels are forwarded here too: they concern one identity's view, not the
 * thread, so they are not thread commands, and the envelope-service applies them directly.
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
    void read(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Actor actor = authenticator.requireActor(request);
        // Streamed: a thread's envelopes can be many megabytes.
        forwarder.relay(InternalService.ENVELOPE_SERVICE, request, actor, response);
    }

    @PostMapping({"/v1/mailbox/threads/{threadId}", "/v1/mailbox/threads/{threadId}/archive",
            "/v1/mailbox/threads/{threadId}/trash"})
    ResponseEntity<byte[]> changeMailbox(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        Actor actor = authenticator.requireActor(request);
        return forwarder.forward(InternalService.ENVELOPE_SERVICE, request, actor, body).toResponseEntity();
    }
}
