package org.loom.gateway.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.loom.protocol.error.LoomException;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Authenticates {@code Authorization: Bearer <token>} against the access tokens issued by {@link ProofOfKey}. The
 * header is split on single spaces and its second part is the token; the scheme is matched without regard to case.
 *
 * <p>A request's actor is looked up once and remembered on the request: the idempotency check and the handler both
 * ask for it, and each lookup is a database read.
 */
@Component
class BearerAuthenticator implements Authenticator {

    private static final String RESOLVED = BearerAuthenticator.class.getName() + ".resolved";

    private final ProofOfKey proofOfKey;

    BearerAuthenticator(ProofOfKey proofOfKey) {
        this.proofOfKey = proofOfKey;
    }

    @Override
    public Actor requireActor(HttpServletRequest request) {
        String token = bearerToken(request).orElseThrow(() -> LoomException.signatureInvalid("Missing bearer token",
                LoomException.details("field", "authorization")));
        return actorOf(request, token);
    }

    @Override
    public Optional<Actor> optionalActor(HttpServletRequest request) {
        return bearerToken(request).map(token -> actorOf(request, token));
    }

    private Actor actorOf(HttpServletRequest request, String token) {
        if (request.getAttribute(RESOLVED) instanceof Resolved resolved && resolved.token().equals(token)) {
            return resolved.actor();
        }
        Actor actor = actorOf(token);
        request.setAttribute(RESOLVED, new Resolved(token, actor));
        return actor;
    }

    private Actor actorOf(String token) {
        return proofOfKey.actorOf(token).orElseThrow(() ->
                LoomException.signatureInvalid("Access token invalid or expired", Map.of()));
    }

    private static Optional<String> bearerToken(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Optional.empty();
        }
        String[] parts = header.split(" ", -1);
        if (parts.length < 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer") || parts[1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parts[1]);
    }

    /** The actor a token was found to belong to, kept for the rest of the request. */
    private record Resolved(String token, Actor actor) {
    }
}
