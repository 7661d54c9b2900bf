package org.loom.gateway.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.loom.gateway.admin.AdminToken;
import org.loom.gateway.auth.Authenticator;
import org.loom.gateway.forward.InternalForwarder;
import org.loom.gateway.forward.InternalService;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit chain, kept by the envelope-service. {@code GET /v1/audit} needs a bearer token, or the admin token, with
 * which every entry is listed; {@code GET /v1/audit/verify} is for the administrator only.
 */
@RestController
class AuditReadController {

    private final Authenticator authenticator;
    private final AdminToken adminToken;
    private final InternalForwarder forwarder;

    AuditReadController(Authenticator authenticator, AdminToken adminToken, InternalForwarder forwarder) {
        this.authenticator = authenticator;
        this.adminToken = adminToken;
        this.forwarder = forwarder;
    }

    @GetMapping("/v1/audit")
    ResponseEntity<byte[]> list(HttpServletRequest request) {
        if (adminToken.presented(request)) {
            return forwarder.forward(InternalService.ENVELOPE_SERVICE, request, null, null, true).toResponseEntity();
        }
        return forwarder.forward(InternalService.ENVELOPE_SERVICE, request, authenticator.requireActor(request), null)
                .toResponseEntity();
    }

    @GetMapping("/v1/audit/verify")
    ResponseEntity<byte[]> verify(HttpServletRequest request) {
        adminToken.require(request);
        return forwarder.forward(InternalService.ENVELOPE_SERVICE, request, null, null, true).toResponseEntity();
    }
}
