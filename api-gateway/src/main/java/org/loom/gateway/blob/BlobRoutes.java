package org.loom.gateway.blob;

import jakarta.servlet.http.HttpServletRequest;
import org.loom.gateway.auth.Actor;
import org.loom.gateway.auth.Authenticator;
import org.loom.gateway.forward.InternalForwarder;
import org.loom.gateway.forward.InternalService;
import org.loom.gateway.idempotency.Idempotent;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The blob routes. The envelope-service owns blobs (metadata and bytes) and decides who may touch them; the gateway
 * authenticates the caller and forwards the raw request.
 */
@RestController
class BlobRoutes {

    private final Authenticator authenticator;
    private final InternalForwarder forwarder;

    BlobRoutes(Authenticator authenticator, InternalForwarder forwarder) {
        this.authenticator = authenticator;
        this.forwarder = forwarder;
    }

    /** Creating a blob honours an {@code Idempotency-Key}, so a client that lost the 201 does not make a second. */
    @Idempotent
    @PostMapping("/v1/blobs")
    ResponseEntity<byte[]> create(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        return forward(request, body);
    }

    @PutMapping("/v1/blobs/{blobId}/parts/{partNumber}")
    ResponseEntity<byte[]> putPart(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        return forward(request, body);
    }

    @PostMapping("/v1/blobs/{blobId}/complete")
    ResponseEntity<byte[]> complete(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        return forward(request, body);
    }

    @GetMapping("/v1/blobs/{blobId}")
    ResponseEntity<byte[]> read(HttpServletRequest request) {
        return forward(request, null);
    }

    private ResponseEntity<byte[]> forward(HttpServletRequest request, byte[] body) {
        Actor actor = authenticator.requireActor(request);
        return forwarder.forward(InternalService.ENVELOPE_SERVICE, request, actor, body).toResponseEntity();
    }
}
