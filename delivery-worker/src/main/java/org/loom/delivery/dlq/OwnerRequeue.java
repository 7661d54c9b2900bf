package org.loom.delivery.dlq;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.DeadLetter;
import org.loom.service.web.InternalCalls;
import org.loom.service.web.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Asks the service that owns a federation or email outbox item to requeue it, over internal HTTP, as the node's
 * administrator: the item and its state live there, this service only mirrors its dead letters.
 */
@Component
@EnableConfigurationProperties(OwnerServicesSettings.class)
class OwnerRequeue {

    private static final Logger log = LoggerFactory.getLogger(OwnerRequeue.class);

    // The owning services' own header names (they trust them because only the node's services can reach them).
    private static final String ACTOR_HEADER = "X-LOOM-Actor";
    private static final String ADMIN_HEADER = "X-LOOM-Admin";
    private static final String ADMIN_ACTOR = "admin";

    private final OwnerServicesSettings settings;
    private final HttpClient http;

    OwnerRequeue(OwnerServicesSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Requeues the item in its owning service and returns the item as that service now reports it.
     *
     * @throws LoomException the owner's own refusal (404 unknown item, 409 not a dead letter); 502
     *                       {@code NODE_UNREACHABLE} when the owner cannot be reached or fails
     */
    JsonNode requeue(String kind, String itemId, String requestId) {
        String service = serviceOf(kind);
        URI target = URI.create(base(kind) + "/v1/" + kind + "/outbox/"
                + URLEncoder.encode(itemId, StandardCharsets.UTF_8).replace("+", "%20") + "/requeue");
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header(ACTOR_HEADER, ADMIN_ACTOR)
                .header(ADMIN_HEADER, "true")
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (requestId != null) {
            request.header(RequestIds.HEADER, requestId);
        }
        HttpResponse<byte[]> response = InternalCalls.send(http, request.build(),
                HttpResponse.BodyHandlers.ofByteArray(), service);
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (status == 200 && body != null && body.isObject()) {
            return body;
        }
        // Only what the admin's request can have caused is passed on; a 401 or 403 from the owner means the node's
        // services are wired wrongly, which is no fault of the caller.
        if ((status == 400 || status == 404 || status == 409) && body != null && body.path("error").isObject()) {
            throw relayed(status, body.get("error"), itemId);
        }
        log.warn("{} answered {} to the requeue of {}", service, status, itemId);
        throw new LoomException(ErrorCode.NODE_UNREACHABLE, "The " + service + " could not requeue the item",
                LoomException.details("service", service, "reason", "status_" + status, "outbox_id", itemId));
    }

    private String base(String kind) {
        String base = (kind.equals(DeadLetter.KIND_FEDERATION) ? settings.federationServiceUrl()
                : settings.emailBridgeUrl()).toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static String serviceOf(String kind) {
        return kind.equals(DeadLetter.KIND_FEDERATION) ? "federation-service" : "email-bridge";
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return LoomJson.mapper().readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The owner's refusal of a client mistake, passed on with its code, message and details. */
    private static LoomException relayed(int status, JsonNode error, String itemId) {
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(error.path("code").asString(""));
        } catch (IllegalArgumentException e) {
            code = status == 404 ? ErrorCode.ENVELOPE_NOT_FOUND : ErrorCode.STATE_TRANSITION_INVALID;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        if (error.path("details").isObject()) {
            error.path("details").properties().forEach(entry -> details.put(entry.getKey(),
                    LoomJson.mapper().convertValue(entry.getValue(), Object.class)));
        }
        details.putIfAbsent("outbox_id", itemId);
        return new LoomException(code, error.path("message").asString("The owning service refused the requeue"),
                details);
    }
}
