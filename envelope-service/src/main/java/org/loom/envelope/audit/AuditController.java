package org.loom.envelope.audit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.loom.envelope.read.Actors;
import org.loom.envelope.read.QueryLimits;
import org.loom.protocol.json.LoomJson;
import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /v1/audit}: the newest links of the audit chain, newest first; an administrator sees all of them, any
 * other caller only those that concern it. {@code GET /v1/audit/verify} (administrators only) recomputes the chain.
 */
@RestController
class AuditController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final AuditChain chain;

    AuditController(AuditChain chain) {
        this.chain = chain;
    }

    @GetMapping("/v1/audit")
    ResponseEntity<byte[]> list(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @RequestHeader(name = Actors.ADMIN_HEADER, required = false) String adminHeader,
            @RequestParam(name = "limit", required = false) String limitParam) {
        Optional<String> scope = Actors.isAdmin(adminHeader) ? Optional.empty()
                : Optional.of(Actors.require(actorHeader));
        List<AuditChain.StoredLink> links = chain.newest(scope, QueryLimits.clamped(limitParam, DEFAULT_LIMIT, MAX_LIMIT));
        StringBuilder body = new StringBuilder("{\"entries\":[");
        for (int i = 0; i < links.size(); i++) {
            body.append(i == 0 ? "" : ",").append(links.get(i).json());
        }
        body.append("]}");
        return ResponseEntity.ok().contentType(JsonResponses.JSON_UTF8)
                .body(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    @GetMapping("/v1/audit/verify")
    ResponseEntity<byte[]> verify(@RequestHeader(name = Actors.ADMIN_HEADER, required = false) String adminHeader) {
        Actors.requireAdmin(adminHeader);
        AuditChain.Verification result = chain.verify();
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("valid", result.firstBroken().isEmpty());
        body.put("checked", result.checked());
        body.put("head_seq", result.headSeq().orElse(null));
        body.put("head_hash", result.headHash().orElse(null));
        if (result.firstBroken().isPresent()) {
            AuditChain.Broken broken = result.firstBroken().get();
            ObjectNode first = body.putObject("first_broken");
            first.put("seq", broken.seq());
            first.put("event_id", broken.eventId());
            first.put("reason", broken.reason());
        } else {
            body.putNull("first_broken");
        }
        return JsonResponses.ok(body);
    }
}
