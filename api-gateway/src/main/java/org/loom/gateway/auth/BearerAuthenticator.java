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
 */
@Component
class BearerAuthenticator implements Authenticator {

    private final ProofOfKey proofOfKey;

    BearerAuthenticator(ProofOfKey proofOfKey) {
        this.proofOfKey = proofOfKey;
    }

    @Override
    public Actor requireActor(HttpServletRequest request) {
        String token = bearerToken(request).orElseThrow(() -> LoomException.signatureInvalid("Missing bearer token",
                LoomException.details("field", "authorization")));
        return actorOf(token);
    }

    @Override
    public Optional<Actor> optionalActor(HttpServletRequest request) {
        return bearerToken(request).map(this::actorOf);
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
}
