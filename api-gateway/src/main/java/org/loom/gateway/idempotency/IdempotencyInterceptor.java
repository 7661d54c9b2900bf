package org.loom.gateway.idempotency;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.loom.gateway.auth.Authenticator;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.service.web.JsonResponses;
import org.loom.service.web.ProtocolErrorResponses;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Claims the idempotency key of a request to an {@link Idempotent} handler before the handler runs, and answers from
 * the stored record instead when the key already has one.
 *
 * <p>The request body was buffered by {@link IdempotencyFilter}, which also settles the claim once the handler has
 * answered.
 */
final class IdempotencyInterceptor implements HandlerInterceptor {

    /** Response header marking an answer replayed from an idempotency record. */
    static final String REPLAY_HEADER = "X-LOOM-Idempotency-Replay";

    /** The scope column's width. */
    static final int MAX_SCOPE_LENGTH = 1024;

    private final Authenticator authenticator;
    private final IdempotencyStore store;
    private final IdempotencySettings settings;

    IdempotencyInterceptor(Authenticator authenticator, IdempotencyStore store, IdempotencySettings settings) {
        this.authenticator = authenticator;
        this.store = store;
        this.settings = settings;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        if (!(handler instanceof HandlerMethod method) || !method.hasMethodAnnotation(Idempotent.class)) {
            return true;
        }
        Idempotent idempotent = method.getMethodAnnotation(Idempotent.class);
        String caller = caller(request, idempotent);
        Optional<IdempotencyKey> key = IdempotencyKey.of(request);
        if (key.isEmpty()) {
            return true;
        }
        BufferedBodyRequest buffered = BufferedBodyRequest.in(request).orElseThrow(() -> new IllegalStateException(
                "the idempotency filter did not buffer a request that carries an idempotency key"));
        String path = request.getRequestURI();
        String scope = caller + ":" + request.getMethod() + ":" + path;
        if (scope.length() > MAX_SCOPE_LENGTH) {
            throw LoomException.invalid("Request path too long for an idempotent request",
                    LoomException.details("field", "path", "max_length", MAX_SCOPE_LENGTH - caller.length()));
        }
        Claim claim = store.claim(scope, key.get().value(), RequestHash.of(request.getMethod(), path, buffered.body()),
                idempotent.resubmittable());
        if (claim instanceof Claim.Granted granted) {
            request.setAttribute(IdempotencyClaims.CLAIM_ATTRIBUTE, granted.recordId());
            return true;
        }
        if (claim instanceof Claim.Replay replay) {
            replay(replay.response(), response);
            return false;
        }
        if (claim instanceof Claim.Conflict) {
            throw new LoomException(ErrorCode.IDEMPOTENCY_CONFLICT,
                    "Idempotency key was already used with different payload",
                    LoomException.details("scope", scope, "key", key.get().value()));
        }
        throw inProgress((Claim.InProgress) claim);
    }

    private String caller(HttpServletRequest request, Idempotent idempotent) {
        if (idempotent.anonymous()) {
            return authenticator.optionalActor(request).map(actor -> "actor:" + actor.identity()).orElse("anonymous");
        }
        return "actor:" + authenticator.requireActor(request).identity();
    }

    private static void replay(StoredResponse stored, HttpServletResponse response) throws IOException {
        response.setHeader(REPLAY_HEADER, "true");
        Optional<LoomException> error = stored.asError();
        if (error.isPresent()) {
            // Rendered by the error advice, with this request's id and time; the replay header stays on the response.
            throw error.get();
        }
        byte[] body = stored.body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(stored.status());
        response.setContentType(JsonResponses.JSON_UTF8.toString());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private LoomException inProgress(Claim.InProgress claim) {
        Map<String, Object> details = new LinkedHashMap<>();
        claim.correlationId().ifPresent(id -> details.put("correlation_id", id));
        details.put(ProtocolErrorResponses.RETRY_AFTER_MS, settings.retryAfter().toMillis());
        String message = claim.correlationId().isPresent()
                ? "The node accepted the request but has not confirmed its outcome yet; retry with the same "
                        + "Idempotency-Key"
                : "A request with this Idempotency-Key is still being processed; retry later";
        return new LoomException(ErrorCode.DECISION_PENDING, message, details);
    }
}
