package org.loom.email.envelope;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.loom.email.config.EmailSettings;
import org.loom.email.web.Callers;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.service.web.InternalCalls;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads envelopes, threads and blobs from the envelope-service, and stores blobs and mailbox labels there, always as a
 * given identity: the envelope-service applies its own rules, so the bridge never renders what the caller could not
 * read nor writes what the identity could not.
 */
@Component
public class EnvelopeServiceClient {

    private static final String SERVICE = "envelope-service";
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;

    public EnvelopeServiceClient(EmailSettings settings) {
        this.base = settings.envelopeServiceUrl();
    }

    /** The stored envelope, as {@code actor} may see it. */
    public JsonNode envelope(String envelopeId, String actor) {
        return get("/v1/envelopes/" + encode(envelopeId), actor);
    }

    /** The thread summary (subject, participants, labels), as {@code actor} may see it. */
    public JsonNode thread(String threadId, String actor) {
        return get("/v1/threads/" + encode(threadId), actor);
    }

    /** Every thread {@code actor} is or was a participant of, following the envelope-service's pages. */
    public List<JsonNode> threadsOf(String actor) {
        return threadsOf(actor, null);
    }

    /**
     * The threads {@code actor} can see and filed under its own mailbox label {@code label} (all of them when
     * {@code label} is null), following the envelope-service's pages.
     */
    public List<JsonNode> threadsOf(String actor, String label) {
        List<JsonNode> threads = new ArrayList<>();
        String filter = label == null ? "" : "&label=" + encode(label);
        String cursor = null;
        do {
            JsonNode page = get("/v1/threads?limit=1000" + filter
                    + (cursor == null ? "" : "&cursor=" + encode(cursor)), actor);
            page.path("threads").forEach(threads::add);
            cursor = page.path("next_cursor").isString() ? page.get("next_cursor").stringValue() : null;
        } while (cursor != null);
        return threads;
    }

    /** The thread's envelopes in canonical rendering order, as {@code actor} may see them. */
    public List<JsonNode> envelopesOf(String threadId, String actor) {
        List<JsonNode> envelopes = new ArrayList<>();
        get("/v1/threads/" + encode(threadId) + "/envelopes", actor).path("envelopes").forEach(envelopes::add);
        return envelopes;
    }

    /** Adds mailbox labels of {@code actor} to a thread it can see; the answer is its labels afterwards. */
    public JsonNode addLabels(String threadId, String actor, List<String> labels) {
        return addLabels(threadId, actor, labels, WRITE_TIMEOUT);
    }

    /** {@link #addLabels(String, String, List)}, giving up after {@code timeout}. */
    public JsonNode addLabels(String threadId, String actor, List<String> labels, Duration timeout) {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        labels.forEach(body.putArray("add")::add);
        return send("POST", "/v1/mailbox/threads/" + encode(threadId), actor, body, timeout);
    }

    /** Opens a blob owned by {@code actor}: {@code {blob_id, status}}. */
    public JsonNode createBlob(String actor, ObjectNode creation) {
        return send("POST", "/v1/blobs", actor, creation);
    }

    /** Uploads one part of a blob. */
    public void putBlobPart(String blobId, int partNumber, byte[] data, String actor) {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("data_base64", Base64.getEncoder().encodeToString(data));
        send("PUT", "/v1/blobs/" + encode(blobId) + "/parts/" + partNumber, actor, body);
    }

    /** Assembles the uploaded parts: {@code {blob_id, status, size_bytes, hash}}. */
    public JsonNode completeBlob(String blobId, String actor) {
        return send("POST", "/v1/blobs/" + encode(blobId) + "/complete", actor, LoomJson.mapper().createObjectNode());
    }

    /** The blob with its content ({@code data_base64}), as {@code actor} may read it (spec §16.7). */
    public JsonNode blob(String blobId, String actor) {
        return get("/v1/blobs/" + encode(blobId), actor);
    }

    /**
     * Whether {@code actor} sent the envelope or is an active participant of its thread: who may have it mailed out.
     *
     * @throws LoomException {@code CAPABILITY_DENIED} when neither
     */
    public void requireSenderOrParticipant(JsonNode envelope, JsonNode thread, String actor) {
        if (actor.equals(envelope.path("from").path("identity").asString()) || isActiveParticipant(thread, actor)) {
            return;
        }
        throw LoomException.capabilityDenied("Actor is neither the sender nor an active participant",
                LoomException.details("envelope_id", envelope.path("id").asString(), "actor", actor));
    }

    /** Whether a thread summary lists {@code actor} as a participant who has not left. */
    public static boolean isActiveParticipant(JsonNode thread, String actor) {
        for (JsonNode participant : thread.path("participants")) {
            if (actor.equals(participant.path("identity").asString()) && participant.path("left_at").isNull()) {
                return true;
            }
        }
        return false;
    }

    private JsonNode get(String path, String actor) {
        return exchange(HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header(Callers.ACTOR_HEADER, actor)
                .GET()
                .build());
    }

    private JsonNode send(String method, String path, String actor, JsonNode body) {
        return send(method, path, actor, body, WRITE_TIMEOUT);
    }

    private JsonNode send(String method, String path, String actor, JsonNode body, Duration timeout) {
        return exchange(HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header(Callers.ACTOR_HEADER, actor)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(LoomJson.mapper().writeValueAsBytes(body)))
                .build());
    }

    private JsonNode exchange(HttpRequest request) {
        // An envelope-service that is down or restarting is the node's problem, not the caller's: 502
        // NODE_UNREACHABLE (the gateway passes it on and clients retry), never a 500.
        HttpResponse<byte[]> response = InternalCalls.send(http, request, HttpResponse.BodyHandlers.ofByteArray(),
                SERVICE);
        JsonNode body;
        try {
            body = LoomJson.parse(response.body());
        } catch (LoomException e) {
            // Not the service's JSON (a proxy page, a half-started server): it did not really answer.
            throw InternalCalls.unavailable(SERVICE, "unreadable_answer_" + response.statusCode(), e);
        }
        if (response.statusCode() / 100 == 2) {
            return body;
        }
        throw relayed(response.statusCode(), body);
    }

    /** The envelope-service's refusal, passed on with its code, message and details. */
    private static LoomException relayed(int status, JsonNode body) {
        JsonNode error = body.path("error");
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(error.path("code").asString(""));
        } catch (IllegalArgumentException e) {
            code = status == 404 ? ErrorCode.ENVELOPE_NOT_FOUND : ErrorCode.INTERNAL_ERROR;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        if (error.path("details").isObject()) {
            error.path("details").properties().forEach(entry -> details.put(entry.getKey(),
                    LoomJson.mapper().convertValue(entry.getValue(), Object.class)));
        }
        return new LoomException(code, error.path("message").asString("Envelope service refused the read"), details);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
