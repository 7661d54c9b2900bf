package org.loom.email.gateway;

import org.loom.email.web.Callers;
import org.loom.email.web.QueryLimits;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/** The legacy gateway's mailbox routes. The folder segment arrives percent-decoded ({@code Sent%20Items}). */
@RestController
class ImapGatewayController {

    private final ImapGateway gateway;

    ImapGatewayController(ImapGateway gateway) {
        this.gateway = gateway;
    }

    @GetMapping("/v1/gateway/imap/folders")
    ObjectNode folders(@RequestHeader(name = Callers.ACTOR_HEADER, required = false) String actor) {
        return gateway.folders(Callers.require(actor));
    }

    @GetMapping("/v1/gateway/imap/folders/{folder}/messages")
    ObjectNode messages(@RequestHeader(name = Callers.ACTOR_HEADER, required = false) String actor,
            @PathVariable String folder, @RequestParam(required = false) String limit) {
        return gateway.messages(Callers.require(actor), folder, QueryLimits.parse(limit, ImapGateway.DEFAULT_LIMIT));
    }
}
