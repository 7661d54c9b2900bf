package org.loom.gateway.web;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.service.web.JsonResponses;
import org.loom.service.web.PathSegments;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Routes that exist only in the guarded test gateway, to observe what a controller receives. Not scanned
 * ({@link TestComponent}); {@link GuardedGateway} imports it.
 */
@TestComponent
@RestController
class WireProbeController {

    static final String BASE = "/test/wire";

    @PostMapping(BASE + "/json")
    ResponseEntity<byte[]> json(@RequestBody JsonNode body) {
        ObjectNode reply = LoomJson.mapper().createObjectNode();
        reply.set("received", body);
        return JsonResponses.ok(reply);
    }

    @PostMapping(BASE + "/object")
    ResponseEntity<byte[]> object(@RequestBody ObjectNode body) {
        return JsonResponses.ok(body);
    }

    @PutMapping(BASE + "/raw")
    ResponseEntity<byte[]> raw(@RequestBody byte[] body, @RequestParam(name = "tag", required = false) String tag) {
        ObjectNode reply = LoomJson.mapper().createObjectNode();
        reply.put("length", body.length);
        reply.put("text", new String(body, StandardCharsets.UTF_8));
        reply.put("tag", tag);
        return JsonResponses.ok(reply);
    }

    @GetMapping(BASE + "/segment/{value}")
    ResponseEntity<byte[]> segment(@PathVariable("value") String value, HttpServletRequest request) {
        ObjectNode reply = LoomJson.mapper().createObjectNode();
        reply.put("decoded", PathSegments.decodedSegment(request, 3));
        reply.put("raw", PathSegments.rawSegments(request).get(3));
        return JsonResponses.ok(reply);
    }

    @GetMapping(BASE + "/number")
    ResponseEntity<byte[]> number(@RequestParam("n") int n) {
        ObjectNode reply = LoomJson.mapper().createObjectNode();
        reply.put("n", n);
        reply.put("half", n / 2.0);
        return JsonResponses.ok(reply);
    }

    @GetMapping(BASE + "/crash")
    ResponseEntity<byte[]> crash() {
        throw new IllegalStateException("secret internal detail from a library");
    }

    @GetMapping(BASE + "/pending")
    ResponseEntity<byte[]> pending() {
        throw new LoomException(ErrorCode.DECISION_PENDING, "Decision pending",
                LoomException.details("retry_after_ms", 1500));
    }
}
