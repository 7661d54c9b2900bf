package org.loom.gateway.node;

import java.time.Clock;

import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Serves the node document, which needs no authentication. */
@RestController
class NodeDocumentController {

    private final NodeDocument document;
    private final Clock clock = Clock.systemUTC();

    NodeDocumentController(NodeDocument document) {
        this.document = document;
    }

    @GetMapping("/.well-known/loom.json")
    ResponseEntity<byte[]> nodeDocument() {
        return JsonResponses.ok(document.toJson(clock.instant()));
    }

    /** A short, signed greeting other nodes use to check that this node is up and holds its published key. */
    @GetMapping("/v1/federation/hello")
    ResponseEntity<byte[]> hello() {
        return JsonResponses.ok(document.hello(clock.instant()));
    }
}
