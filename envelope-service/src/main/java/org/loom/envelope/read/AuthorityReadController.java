package org.loom.envelope.read;

import org.loom.envelope.capability.Capabilities;
import org.loom.envelope.capability.StoredCapability;
import org.loom.envelope.delegation.Delegations;
import org.loom.envelope.delegation.StoredDelegation;
import org.loom.envelope.thread.ThreadStore;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Listing capability tokens and delegations. Every active participant of a thread sees all of its tokens; to anyone
 * else the thread does not exist. Delegations are listed for the actor only.
 */
@RestController
class AuthorityReadController {

    private final Capabilities capabilities;
    private final Delegations delegations;
    private final ThreadStore threads;

    AuthorityReadController(Capabilities capabilities, Delegations delegations, ThreadStore threads) {
        this.capabilities = capabilities;
        this.delegations = delegations;
        this.threads = threads;
    }

    /** {@code {thread_id, capabilities: [...]}}, oldest first. */
    @GetMapping("/v1/capabilities")
    ResponseEntity<byte[]> capabilities(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @RequestParam(name = "thread_id", required = false) String threadId) {
        String actor = Actors.require(actorHeader);
        if (threadId == null || threadId.isEmpty()) {
            throw LoomException.invalid("thread_id query parameter is required",
                    LoomException.details("field", "thread_id"));
        }
        boolean member = threads.find(threadId).filter(thread -> !thread.opening()).isPresent()
                && threads.participants(threadId).isActive(actor);
        if (!member) {
            throw new LoomException(ErrorCode.THREAD_NOT_FOUND, "Thread not found: " + threadId,
                    LoomException.details("thread_id", threadId));
        }
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("thread_id", threadId);
        ArrayNode list = body.putArray("capabilities");
        for (StoredCapability capability : capabilities.ofThread(threadId)) {
            list.add(capability.toJson());
        }
        return JsonResponses.ok(body);
    }

    /**
     * {@code {delegations: [...]}}: those the actor granted ({@code role=delegator}), received
     * ({@code role=delegate}) or either (any other value, or none), oldest first.
     */
    @GetMapping("/v1/delegations")
    ResponseEntity<byte[]> delegations(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @RequestParam(name = "role", required = false) String role) {
        String actor = Actors.require(actorHeader);
        ObjectNode body = LoomJson.mapper().createObjectNode();
        ArrayNode list = body.putArray("delegations");
        for (StoredDelegation delegation : delegations.of(actor, role)) {
            list.add(delegation.toJson());
        }
        return JsonResponses.ok(body);
    }
}
