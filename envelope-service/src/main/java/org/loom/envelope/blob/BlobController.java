package org.loom.envelope.blob;

import java.util.Optional;
import org.loom.envelope.read.Actors;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The blob routes, reached through the gateway, which authenticates the caller and forwards the raw request. */
@RestController
class BlobController {

    private static final int MAX_MIME_TYPE_LENGTH = 255;

    private final Blobs blobs;

    BlobController(Blobs blobs) {
        this.blobs = blobs;
    }

    /** {@code {thread_id?, filename?, mime_type?, size_bytes?}} → 201 {@code {blob_id, status: "pending"}}. */
    @PostMapping("/v1/blobs")
    ResponseEntity<byte[]> create(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @RequestBody(required = false) JsonNode body) {
        String actor = Actors.require(actorHeader);
        JsonNode request = object(body);
        Blobs.Creation creation = new Blobs.Creation(optionalText(request, "thread_id"),
                optionalText(request, "filename"), mimeType(request), size(request));
        String id = blobs.create(actor, creation);
        ObjectNode answer = LoomJson.mapper().createObjectNode();
        answer.put("blob_id", id).put("status", BlobRecord.PENDING);
        return JsonResponses.created(answer);
    }

    /** {@code {data_base64}} → {@code {blob_id, part_number, status: "part_uploaded"}}. */
    @PutMapping("/v1/blobs/{blobId}/parts/{partNumber}")
    ResponseEntity<byte[]> putPart(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @PathVariable String blobId, @PathVariable String partNumber,
            @RequestBody(required = false) JsonNode body) {
        String actor = Actors.require(actorHeader);
        int number = partNumber(partNumber);
        JsonNode data = object(body).get("data_base64");
        blobs.putPart(actor, blobId, number, data != null && data.isString() ? data.stringValue() : null);
        ObjectNode answer = LoomJson.mapper().createObjectNode();
        answer.put("blob_id", blobId).put("part_number", number).put("status", "part_uploaded");
        return JsonResponses.ok(answer);
    }

    /** → {@code {blob_id, status, size_bytes, hash}}. */
    @PostMapping("/v1/blobs/{blobId}/complete")
    ResponseEntity<byte[]> complete(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @PathVariable String blobId) {
        BlobRecord blob = blobs.complete(Actors.require(actorHeader), blobId);
        ObjectNode answer = LoomJson.mapper().createObjectNode();
        answer.put("blob_id", blob.id()).put("status", blob.status()).put("size_bytes", blob.sizeBytes())
                .put("hash", blob.hash().orElse(null));
        return JsonResponses.ok(answer);
    }

    @GetMapping("/v1/blobs/{blobId}")
    ResponseEntity<byte[]> get(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @PathVariable String blobId) {
        return JsonResponses.ok(blobs.read(Actors.require(actorHeader), blobId));
    }

    private static JsonNode object(JsonNode body) {
        if (body == null) {
            return LoomJson.mapper().createObjectNode();
        }
        if (!body.isObject()) {
            throw LoomException.invalid("Request body must be a JSON object", java.util.Map.of());
        }
        return body;
    }

    private static Optional<String> optionalText(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isString()) {
            throw LoomException.invalid(field + " must be a string", LoomException.details("field", field));
        }
        return Optional.of(value.stringValue());
    }

    /** The column holds 255 characters; a longer type is no media type anyone uses. */
    private static Optional<String> mimeType(JsonNode request) {
        Optional<String> type = optionalText(request, "mime_type");
        if (type.isPresent() && type.get().length() > MAX_MIME_TYPE_LENGTH) {
            throw LoomException.invalid("mime_type is too long", LoomException.details("field", "mime_type",
                    "max_length", MAX_MIME_TYPE_LENGTH));
        }
        return type;
    }

    private static long size(JsonNode request) {
        JsonNode value = request.get("size_bytes");
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw LoomException.invalid("size_bytes must be a whole number",
                    LoomException.details("field", "size_bytes"));
        }
        return value.longValue();
    }

    private static int partNumber(String text) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw LoomException.invalid("Part number must be a positive integer",
                    LoomException.details("field", "part_number"));
        }
        int number = Integer.parseInt(text);
        if (number < 1) {
            throw LoomException.invalid("Part number must be a positive integer",
                    LoomException.details("field", "part_number"));
        }
        return number;
    }
}
