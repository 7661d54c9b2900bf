package org.loom.gateway.identity;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

import org.loom.gateway.auth.Actor;
import org.loom.gateway.auth.Authenticator;
import org.loom.gateway.idempotency.Idempotent;
import org.loom.protocol.json.LoomJson;
import org.loom.service.web.JsonResponses;
import org.loom.service.web.PathSegments;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The identity routes: registration, lookup, and adding and revoking the caller's signing keys. */
@RestController
class IdentityController {

    private final IdentityRegistry registry;
    private final Authenticator authenticator;

    IdentityController(IdentityRegistry registry, Authenticator authenticator) {
        this.registry = registry;
        this.authenticator = authenticator;
    }

    /**
     * Registers an identity; no token is needed for a new one, the identity's own token to update it. A retry with
     * the same {@code Idempotency-Key} gets the first answer, so a client that lost the 201 can safely send again.
     */
    @Idempotent(anonymous = true)
    @PostMapping("/v1/identity")
    ResponseEntity<byte[]> register(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        IdentityRegistration registration = IdentityRegistration.fromJson(LoomJson.parse(body));
        IdentityDocument document = registry.register(registration, authenticator.optionalActor(request));
        return JsonResponses.created(document.toJson());
    }

    /**
     * Any identity's document. The URI is normally one percent-encoded segment; one sent unencoded spans several
     * segments and is read whole all the same.
     */
    @GetMapping("/v1/identity/{*identity}")
    ResponseEntity<byte[]> identity(HttpServletRequest request) {
        List<String> segments = PathSegments.rawSegments(request);
        String id = PathSegments.decode(String.join("/", segments.subList(2, segments.size())));
        IdentityDocument document = registry.document(id).orElseThrow(() -> IdentityRegistry.notFound(id));
        return JsonResponses.ok(document.toJson());
    }

    @PostMapping("/v1/identity/me/keys")
    ResponseEntity<byte[]> addKey(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        Actor caller = authenticator.requireActor(request);
        KeyBinding binding = IdentityRegistration.keyFromJson(LoomJson.parse(body));
        return JsonResponses.created(registry.addKey(caller, binding).toJson());
    }

    @DeleteMapping("/v1/identity/me/keys/{keyId}")
    ResponseEntity<byte[]> revokeKey(@PathVariable String keyId, HttpServletRequest request) {
        Actor caller = authenticator.requireActor(request);
        return JsonResponses.ok(registry.revokeKey(caller, keyId).toJson());
    }
}
