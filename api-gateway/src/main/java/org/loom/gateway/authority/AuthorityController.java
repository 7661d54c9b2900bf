package org.loom.gateway.authority;

import jakarta.servlet.http.HttpServletRequest;
import org.loom.gateway.auth.Actor;
import org.loom.gateway.auth.Authenticator;
import org.loom.gateway.envelope.CommandOutcomes;
import org.loom.gateway.envelope.EnvelopeSubmitter;
import org.loom.gateway.forward.InternalForwarder;
import org.loom.gateway.forward.InternalService;
import org.loom.gateway.idempotency.Idempotent;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.AuthorityCommand;
import org.loom.protocol.kafka.CommandResult;
import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Capability tokens and delegations. The envelope-service owns both: writes go to it as commands over Kafka (keyed by
 * the thread a new token scopes, else by the actor) and are answered with its decision; lists are forwarded to it.
 */
@RestController
class AuthorityController {

    private final Authenticator authenticator;
    private final EnvelopeSubmitter submitter;
    private final InternalForwarder forwarder;

    AuthorityController(Authenticator authenticator, EnvelopeSubmitter submitter, InternalForwarder forwarder) {
        this.authenticator = authenticator;
        this.submitter = submitter;
        this.forwarder = forwarder;
    }

    @Idempotent
    @PostMapping("/v1/capabilities")
    ResponseEntity<byte[]> issueCapability(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        Actor actor = authenticator.requireActor(request);
        JsonNode json = object(body);
        JsonNode threadId = json.get("thread_id");
        // Keyed by the thread only when the value is a thread id: anything else is refused by the envelope-service,
        // and must not become an unbounded record key on the way there.
        boolean threadScoped = threadId != null && threadId.isString()
                && LoomIds.isValid(IdPrefix.THREAD, threadId.stringValue());
        String key = threadScoped ? threadId.stringValue() : actor.identity();
        return decide(request, actor, AuthorityCommand.CAPABILITY_ISSUE, null, json, key);
    }

    @DeleteMapping("/v1/capabilities/{capabilityId}")
    ResponseEntity<byte[]> revokeCapability(HttpServletRequest request, @PathVariable String capabilityId) {
        Actor actor = authenticator.requireActor(request);
        return decide(request, actor, AuthorityCommand.CAPABILITY_REVOKE, capabilityId,
                LoomJson.mapper().createObjectNode(), actor.identity());
    }

    @Idempotent
    @PostMapping("/v1/delegations")
    ResponseEntity<byte[]> createDelegation(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        Actor actor = authenticator.requireActor(request);
        return decide(request, actor, AuthorityCommand.DELEGATION_CREATE, null, object(body), actor.identity());
    }

    @DeleteMapping("/v1/delegations/{delegationId}")
    ResponseEntity<byte[]> revokeDelegation(HttpServletRequest request, @PathVariable String delegationId) {
        Actor actor = authenticator.requireActor(request);
        return decide(request, actor, AuthorityCommand.DELEGATION_REVOKE, delegationId,
                LoomJson.mapper().createObjectNode(), actor.identity());
    }

    @GetMapping({"/v1/capabilities", "/v1/delegations"})
    ResponseEntity<byte[]> list(HttpServletRequest request) {
        Actor actor = authenticator.requireActor(request);
        return forwarder.forward(InternalService.ENVELOPE_SERVICE, request, actor, null).toResponseEntity();
    }

    private ResponseEntity<byte[]> decide(HttpServletRequest request, Actor actor, String action, String subjectId,
            JsonNode body, String key) {
        CommandResult result = submitter.submit(actor.identity(), action, subjectId, body, key, request);
        if (result.refused()) {
            throw CommandOutcomes.refusal(result);
        }
        return JsonResponses.status(result.status(), result.body());
    }

    private static JsonNode object(byte[] body) {
        JsonNode json = LoomJson.parse(body);
        if (!json.isObject()) {
            throw LoomException.invalid("Request body must be a JSON object", LoomException.details("field", "body"));
        }
        return json;
    }
}
