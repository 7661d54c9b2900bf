package org.loom.gateway.envelope;

import jakarta.servlet.http.HttpServletRequest;
import org.loom.gateway.auth.Actor;
import org.loom.gateway.auth.Authenticator;
import org.loom.gateway.forward.InternalForwarder;
import org.loom.gateway.forward.InternalService;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Changes to the caller's own mailbox labels. They concern one identity's view, not the thread, so they are not
 * thread commands: the envelope-service applies them directly, and the gateway forwards them with the caller's
 * identity.
 */
@RestController
class MailboxChangeController {

    private final Authenticator authenticator;
    private final InternalForwarder forwarder;

    MailboxChangeController(Authenticator authenticator, InternalForwarder forwarder) {
        this.authenticator = authenticator;
        this.forwarder = forwarder;
    }

    @PostMapping({"/v1/mailbox/threads/{threadId}", "/v1/mailbox/threads/{threadId}/archive",
            "/v1/mailbox/threads/{threadId}/trash"})
    ResponseEntity<byte[]> change(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        Actor actor = authenticator.requireActor(request);
        return forwarder.forward(InternalService.ENVELOPE_SERVICE, request, actor, body).toResponseEntity();
    }
}
