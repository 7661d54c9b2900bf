package org.loom.gateway.envelope;

import jakarta.servlet.http.HttpServletRequest;
import org.loom.gateway.auth.Actor;
import org.loom.gateway.auth.Authenticator;
import org.loom.gateway.idempotency.Idempotent;
import org.loom.protocol.envelope.Envelope;
import org.loom.protocol.envelope.EnvelopeValidator;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Envelope writes: {@code POST /v1/envelopes} and {@code POST /v1/threads/{id}/ops}.
 *
 * <p>The gateway checks what needs no thread state (bearer token, shape, sender, signature, sender type), then the
 * envelope-service decides the write and its answer is returned as it is. The body is taken as raw bytes so that any
 * content type is accepted and the idempotency hash covers exactly what was sent.
 */
@RestController
class EnvelopeSubmissionController {

    /** The legacy way of presenting a capability token with a thread operation (spec §12.4). */
    static final String CAPABILITY_HEADER = "X-LOOM-Capability";

    private final Authenticator authenticator;
    private final EnvelopeAdmission admission;
    private final EnvelopeSubmitter submitter;

    EnvelopeSubmissionController(Authenticator authenticator, EnvelopeAdmission admission,
            EnvelopeSubmitter submitter) {
        this.authenticator = authenticator;
        this.admission = admission;
        this.submitter = submitter;
    }

    @Idempotent(resubmittable = true)
    @PostMapping("/v1/envelopes")
    ResponseEntity<byte[]> submit(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        Actor actor = authenticator.requireActor(request);
        return decide(request, actor, LoomJson.parse(body));
    }

    @Idempotent(resubmittable = true)
    @PostMapping("/v1/threads/{threadId}/ops")
    ResponseEntity<byte[]> submitThreadOp(HttpServletRequest request, @PathVariable String threadId,
            @RequestBody(required = false) byte[] body) {
        Actor actor = authenticator.requireActor(request);
        JsonNode json = LoomJson.parse(body);
        ThreadOpRoute.check(threadId, json);
        return decide(request, actor, json);
    }

    private ResponseEntity<byte[]> decide(HttpServletRequest request, Actor actor, JsonNode json) {
        Envelope envelope = EnvelopeValidator.parse(json);
        AdmittedEnvelope admitted = admission.admit(actor, envelope);
        CommandResult result = submitter.submit(admitted, request.getRequestURI(), request,
                request.getHeader(CAPABILITY_HEADER));
        if (result.refused()) {
            throw CommandOutcomes.refusal(result);
        }
        return JsonResponses.status(result.status(), result.body());
    }
}
