package org.loom.gateway.auth;

import java.util.Map;

import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The proof-of-key routes: challenge, token, refresh. None needs a bearer token. */
@RestController
class AuthController {

    private final ProofOfKey proofOfKey;

    AuthController(ProofOfKey proofOfKey) {
        this.proofOfKey = proofOfKey;
    }

    @PostMapping("/v1/auth/challenge")
    ResponseEntity<byte[]> challenge(@RequestBody(required = false) byte[] body) {
        JsonNode request = object(body);
        Challenge challenge = proofOfKey.challenge(required(request, "identity"), required(request, "key_id"));
        ObjectNode json = LoomJson.mapper().createObjectNode();
        json.put("challenge_id", challenge.id());
        json.put("identity", challenge.identity());
        json.put("key_id", challenge.keyId());
        json.put("nonce", challenge.nonce());
        json.put("expires_at", Timestamps.format(challenge.expiresAt()));
        json.put("algorithm", "Ed25519");
        return JsonResponses.ok(json);
    }

    /** Accepts the challenge id as {@code challenge_id} (reference node) or {@code challenge} (spec §14.2). */
    @PostMapping("/v1/auth/token")
    ResponseEntity<byte[]> token(@RequestBody(required = false) byte[] body) {
        JsonNode request = object(body);
        String challengeId = text(request, "challenge_id");
        if (challengeId == null) {
            challengeId = text(request, "challenge");
        }
        IssuedTokens tokens = proofOfKey.token(text(request, "identity"), text(request, "key_id"), challengeId,
                text(request, "signature"));
        return JsonResponses.ok(tokensJson(tokens));
    }

    @PostMapping("/v1/auth/refresh")
    ResponseEntity<byte[]> refresh(@RequestBody(required = false) byte[] body) {
        return JsonResponses.ok(tokensJson(proofOfKey.refresh(text(object(body), "refresh_token"))));
    }

    private static ObjectNode tokensJson(IssuedTokens tokens) {
        ObjectNode json = LoomJson.mapper().createObjectNode();
        json.put("token_type", "Bearer");
        json.put("access_token", tokens.accessToken());
        tokens.refreshToken().ifPresent(refreshToken -> json.put("refresh_token", refreshToken));
        json.put("expires_in", tokens.expiresInSeconds());
        json.put("identity", tokens.actor().identity());
        json.put("key_id", tokens.actor().keyId());
        return json;
    }

    private static JsonNode object(byte[] body) {
        JsonNode json = LoomJson.parse(body);
        if (!json.isObject()) {
            throw LoomException.invalid("Request body must be a JSON object", Map.of());
        }
        return json;
    }

    private static String required(JsonNode request, String field) {
        String value = text(request, field);
        if (value == null || value.isEmpty()) {
            throw LoomException.invalid(field + " is required", LoomException.details("field", field));
        }
        return value;
    }

    /** The member's text; null when it is absent or not a string. */
    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }
}
