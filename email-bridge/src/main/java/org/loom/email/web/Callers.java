package org.loom.email.web;

import org.loom.protocol.error.LoomException;

/**
 * The caller of a route, as the gateway names it: it authenticates the client and passes the identity in
 * {@link #ACTOR_HEADER}, and {@link #ADMIN_HEADER} {@code true} when the client presented the admin token. This service
 * listens on the node's internal network only and trusts both.
 */
public final class Callers {

    public static final String ACTOR_HEADER = "X-LOOM-Actor";
    public static final String ADMIN_HEADER = "X-LOOM-Admin";

    private Callers() {
    }

    /**
     * @throws LoomException {@code SIGNATURE_INVALID} when the request names no actor
     */
    public static String require(String actorHeader) {
        if (actorHeader == null || actorHeader.isBlank()) {
            throw LoomException.signatureInvalid("Missing bearer token", LoomException.details("field", "authorization"));
        }
        return actorHeader.strip();
    }

    public static boolean admin(String adminHeader) {
        return "true".equalsIgnoreCase(adminHeader == null ? null : adminHeader.strip());
    }
}
