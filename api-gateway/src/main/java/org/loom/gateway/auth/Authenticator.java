package org.loom.gateway.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Resolves the bearer token of a request ({@code Authorization: Bearer at_...}) to the {@link Actor} it was issued
 * to.
 */
public interface Authenticator {

    /**
     * The actor of the request.
     *
     * @throws org.loom.protocol.error.LoomException {@code SIGNATURE_INVALID} (401) "Missing bearer token" with
     *         details {@code {field: "authorization"}} when there is none, or "Access token invalid or expired"
     */
    Actor requireActor(HttpServletRequest request);

    /** The actor when the request carries a valid bearer token; empty when it carries none; an invalid one throws. */
    Optional<Actor> optionalActor(HttpServletRequest request);
}
