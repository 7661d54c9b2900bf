package org.loom.gateway.federation;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.loom.gateway.admin.AdminToken;
import org.loom.gateway.auth.Actor;
import org.loom.gateway.auth.Authenticator;
import org.loom.gateway.forward.InternalForwarder;
import org.loom.gateway.forward.InternalService;
import org.loom.gateway.idempotency.IdempotencyKey;
import org.loom.gateway.idempotency.Idempotent;
import org.loom.protocol.federation.HttpSignature;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The federation routes, owned by the federation-service. Node-to-node routes are not authenticated here: the
 * federation-service checks their LOOM-HTTP-SIG-1 signature, so the raw body and the {@code x-loom-*} headers go
 * through unchanged. Reading the registry and the outbox routes need a bearer token; changing the node registry and
 * requeueing a dead letter need the admin token, since a registration decides which keys and delivery URL the node
 * trusts for a whole domain.
 */
@RestController
class FederationRoutesController {

    /** The headers of a signed node-to-node request, passed on as received. */
    static final List<String> SIGNATURE_HEADERS = List.of(HttpSignature.NODE, HttpSignature.TIMESTAMP,
            HttpSignature.NONCE, HttpSignature.KEY_ID, HttpSignature.SIGNATURE, HttpSignature.CHALLENGE_TOKEN);

    private final Authenticator authenticator;
    private final InternalForwarder forwarder;
    private final AdminToken adminToken;

    FederationRoutesController(Authenticator authenticator, InternalForwarder forwarder, AdminToken adminToken) {
        this.authenticator = authenticator;
        this.forwarder = forwarder;
        this.adminToken = adminToken;
    }

    @PostMapping({"/v1/federation/deliver", "/v1/federation/challenge"})
    ResponseEntity<byte[]> signed(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        return forwarder.forward(InternalService.FEDERATION_SERVICE, request, null, body, SIGNATURE_HEADERS)
                .toResponseEntity();
    }

    @PostMapping({"/v1/federation/outbox", "/v1/federation/outbox/process", "/v1/federation/outbox/{outboxId}/process"})
    @Idempotent
    ResponseEntity<byte[]> authenticatedPost(HttpServletRequest request,
            @RequestBody(required = false) byte[] body) {
        // The key goes along, so a retry after a lost answer finds the item the first request queued.
        Actor actor = authenticator.requireActor(request);
        return forwarder.forward(InternalService.FEDERATION_SERVICE, request, actor, body, IdempotencyKey.HEADERS)
                .toResponseEntity();
    }

    /**
     * Registering or overwriting a node and requeueing a federation dead letter are admin actions: the admin token, no
     * bearer token.
     */
    @PostMapping({"/v1/federation/nodes", "/v1/federation/nodes/bootstrap", "/v1/federation/outbox/{outboxId}/requeue"})
    ResponseEntity<byte[]> adminPost(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        adminToken.require(request);
        return forwarder.forward(InternalService.FEDERATION_SERVICE, request, null, body, true).toResponseEntity();
    }

    @GetMapping({"/v1/federation/nodes", "/v1/federation/outbox"})
    ResponseEntity<byte[]> authenticatedGet(HttpServletRequest request) {
        Actor actor = authenticator.requireActor(request);
        return forwarder.forward(InternalService.FEDERATION_SERVICE, request, actor, null).toResponseEntity();
    }
}
