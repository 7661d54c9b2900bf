package org.loom.email.inbound;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.loom.email.bridge.InboundEmail;
import org.loom.email.bridge.InboundEmailReader;
import org.loom.email.web.Callers;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.service.web.ForwardedIdempotencyKey;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/bridge/email/inbound} (mail from outside, handed over by an MTA) and
 * {@code POST /v1/gateway/smtp/submit} (mail a local user writes in a legacy client). Both take the reference node's
 * JSON form or a raw RFC 5322 message; see {@link InboundEmailReader}. An email handed over again (same Message-ID,
 * or same {@code Idempotency-Key} when it has none) is answered with the envelope it became the first time.
 */
@RestController
class InboundEmailController {

    private final EmailIngest ingest;

    InboundEmailController(EmailIngest ingest) {
        this.ingest = ingest;
    }

    @PostMapping(EmailIngest.INBOUND_ROUTE)
    @ResponseStatus(HttpStatus.CREATED)
    ObjectNode inbound(@RequestHeader(name = Callers.ACTOR_HEADER, required = false) String actorHeader,
            @RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        String caller = Callers.require(actorHeader);
        InboundEmail email = read(contentType, body, null);
        EmailIngest.Accepted accepted = ingest.receive(email, caller, ForwardedIdempotencyKey.of(request));
        return answer(accepted).put("quarantined", accepted.quarantined());
    }

    @PostMapping(EmailIngest.SUBMIT_ROUTE)
    @ResponseStatus(HttpStatus.CREATED)
    ObjectNode submit(@RequestHeader(name = Callers.ACTOR_HEADER, required = false) String actorHeader,
            @RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        String actor = Callers.require(actorHeader);
        return answer(ingest.submitAs(read(contentType, body, addressOf(actor)), actor,
                ForwardedIdempotencyKey.of(request)));
    }

    private static ObjectNode answer(EmailIngest.Accepted accepted) {
        ObjectNode response = LoomJson.mapper().createObjectNode();
        response.put("envelope_id", accepted.envelopeId());
        response.put("thread_id", accepted.threadId());
        response.put("message_id", accepted.messageId());
        return response;
    }

    /**
     * A JSON body (by its content type, or, without one, by its first character) or a raw message (any other type,
     * {@code message/rfc822} in particular).
     */
    static InboundEmail read(String contentType, byte[] body, String defaultSender) {
        if (body == null || body.length == 0) {
            throw LoomException.invalid("Request body is required", LoomException.details("field", "body"));
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        boolean json = type.contains("json") || (type.isBlank() && startsLikeJson(body));
        return json ? InboundEmailReader.fromJson(LoomJson.parse(body), defaultSender)
                : InboundEmailReader.fromRaw(body, defaultSender);
    }

    /** The email address of a {@code loom://} identity: the part after the scheme. */
    private static String addressOf(String actor) {
        int scheme = actor.indexOf("://");
        return scheme < 0 ? actor : actor.substring(scheme + 3);
    }

    private static boolean startsLikeJson(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b == '{';
            }
        }
        return false;
    }
}
