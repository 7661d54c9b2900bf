package org.loom.federation.outbound;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.service.web.InternalCalls;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reads stored envelopes from the envelope-service, which owns them, as a given identity: the envelope-service applies
 * its read rules (audience, BCC), so an identity can only queue envelopes it may see.
 */
@Component
public class StoredEnvelopes {

    private final URI envelopeService;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();

    StoredEnvelopes(@Value("${loom.internal.envelope-service-url:http://127.0.0.1:8788}") URI envelopeService) {
        this.envelopeService = envelopeService;
    }

    /**
     * The envelope as stored, read as {@code actor}.
     *
     * @throws LoomException the envelope-service's refusal ({@code ENVELOPE_NOT_FOUND}, ...), or
     *         {@code NODE_UNREACHABLE} when it does not answer
     */
    public JsonNode read(String envelopeId, String actor) {
        String base = envelopeService.toString().replaceAll("/+$", "");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/envelopes/"
                        + URLEncoder.encode(envelopeId, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30)).header("X-LOOM-Actor", actor).GET().build();
        HttpResponse<String> response = InternalCalls.send(client, request, HttpResponse.BodyHandlers.ofString(),
                "envelope-service");
        JsonNode body = LoomJson.parse(response.body());
        if (response.statusCode() == 200) {
            return body;
        }
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(body.at("/error/code").asString("INTERNAL_ERROR"));
        } catch (IllegalArgumentException e) {
            code = ErrorCode.INTERNAL_ERROR;
        }
        throw new LoomException(code, body.at("/error/message").asString("Envelope could not be read"),
                Map.of("envelope_id", envelopeId));
    }
}
