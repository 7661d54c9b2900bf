package org.loom.federation.web;

import jakarta.servlet.http.HttpServletRequest;
import org.loom.protocol.error.LoomException;

/** The caller of a bearer route, as the gateway names it after authenticating the request. */
public final class Callers {

    /** The header in which the gateway says that the caller presented the node's admin token. */
    public static final String ADMIN_HEADER = "X-LOOM-Admin";

    /** The header the gateway names the authenticated identity in. */
    public static final String ACTOR_HEADER = "X-LOOM-Actor";

    /** Who an admin action is recorded as: the admin token names no identity. */
    public static final String ADMIN_ACTOR = "admin";

    private Callers() {
    }

    /**
     * The authenticated caller.
     *
     * @throws LoomException 401 {@code SIGNATURE_INVALID} when the request did not come through the gateway's
     *         authentication
     */
    public static String require(HttpServletRequest request) {
        String actor = request.getHeader(ACTOR_HEADER);
        if (actor == null || actor.isBlank()) {
            throw LoomException.signatureInvalid("Missing bearer token", LoomException.details("field",
                    "authorization"));
        }
        return actor;
    }

    /**
     * For a route only the node's administrator may use: the gateway checked the admin token and says so.
     *
     * @throws LoomException 403 {@code CAPABILITY_DENIED} when the request does not come with the gateway's word
     */
    public static void requireAdmin(HttpServletRequest request) {
        String admin = request.getHeader(ADMIN_HEADER);
        if (admin == null || !"true".equalsIgnoreCase(admin.strip())) {
            throw LoomException.capabilityDenied("Admin token required",
                    LoomException.details("field", "x-loom-admin-token"));
        }
    }
}
