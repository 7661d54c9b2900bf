package org.loom.email.envelope;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.loom.email.config.EmailSettings;
import org.loom.email.web.Callers;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reads envelopes and threads from the envelope-service, as a given identity: the envelope-service applies its own
 * visibility rules, so the bridge never renders what the caller could not read.
 */
@Component
public class EnvelopeServiceClient {

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
        List<JsonNode> threads = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get("/v1/threads?limit=1000" + (cursor == null ? "" : "&cursor=" + encode(cursor)), actor);
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
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header(Callers.ACTOR_HEADER, actor)
                .GET()
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
        JsonNode body = LoomJson.parse(response.body());
        if (response.statusCode() == 200) {
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

    private static LoomException unavailable(Exception e) {
        return new LoomException(ErrorCode.INTERNAL_ERROR, "Envelope service unavailable", Map.of(), e);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
