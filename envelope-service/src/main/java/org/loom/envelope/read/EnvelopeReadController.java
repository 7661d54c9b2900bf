package org.loom.envelope.read;

import java.nio.charset.StandardCharsets;
import org.loom.envelope.audience.EnvelopeReaders;
import org.loom.envelope.stored.EnvelopeStore;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/envelopes/{id}}: a stored envelope, to those its audience admits ({@link EnvelopeReaders}). Anyone
 * else gets the same 404 as for an envelope that does not exist.
 */
@RestController
class EnvelopeReadController {

    private final EnvelopeReaders readers;

    EnvelopeReadController(EnvelopeReaders readers) {
        this.readers = readers;
    }

    @GetMapping("/v1/envelopes/{envelopeId}")
    ResponseEntity<byte[]> get(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @PathVariable String envelopeId) {
        String actor = Actors.require(actorHeader);
        EnvelopeStore.Located found = readers.readable(envelopeId, actor)
                .orElseThrow(() -> new LoomException(ErrorCode.ENVELOPE_NOT_FOUND, "Envelope not found: " + envelopeId,
                        LoomException.details("envelope_id", envelopeId)));
        return ResponseEntity.ok().contentType(JsonResponses.JSON_UTF8)
                .body(found.json().getBytes(StandardCharsets.UTF_8));
    }
}
