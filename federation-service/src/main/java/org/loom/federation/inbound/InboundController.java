package org.loom.federation.inbound;

import jakarta.servlet.http.HttpServletRequest;
import org.loom.federation.node.FederatedNode;
import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The signed node-to-node routes. Both read the raw body bytes, since the request signature covers them exactly.
 */
@RestController
class InboundController {

    private final InboundDelivery delivery;
    private final ChallengeIssuer challenges;

    InboundController(InboundDelivery delivery, ChallengeIssuer challenges) {
        this.delivery = delivery;
        this.challenges = challenges;
    }

    @PostMapping("/v1/federation/deliver")
    ResponseEntity<byte[]> deliver(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        return JsonResponses.status(202, delivery.deliver(body == null ? new byte[0] : body, request::getHeader));
    }

    @PostMapping("/v1/federation/challenge")
    ResponseEntity<byte[]> challenge(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        FederatedNode node = delivery.verifyChallengeRequest(body == null ? new byte[0] : body, request::getHeader);
        return JsonResponses.ok(challenges.issue(node));
    }
}
