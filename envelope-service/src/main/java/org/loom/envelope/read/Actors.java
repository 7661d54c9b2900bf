package org.loom.envelope.read;

import org.loom.protocol.error.LoomException;

/**
 * The caller of an internal read route. The gateway authenticates the client and passes the identity in
 * {@link #HEADER}; this service listens on the node's internal network only and trusts that header.
 */
public final class Actors {

    /** The header the gateway sets to the authenticated identity. */
    public static final String HEADER = "X-LOOM-Actor";

    /**
     * The header the gateway sets to {@code true} for a caller that presented the node's admin token. Like
     * {@link #HEADER}, it is trusted because only the gateway reaches this service, and the gateway never passes a
     * client's own copy of it.
     */
    public static final String ADMIN_HEADER = "X-LOOM-Admin";

    private Actors() {
    }

    /**
     * The actor named by the header.
     *
     * @throws LoomException {@code SIGNATURE_INVALID} "Missing bearer token" {@code {field: "authorization"}} when the
     *                       request carries no actor: reads on this node need an authenticated caller
     */
    public static String require(String header) {
        if (header == null || header.isBlank()) {
            throw LoomException.signatureInvalid("Missing bearer token", LoomException.details("field", "authorization"));
        }
        return header.strip();
    }

    /** True when the gateway vouches that the caller is an administrator. */
    public static boolean isAdmin(String adminHeader) {
        return "true".equals(adminHeader);
    }

    /**
     * @throws LoomException {@code CAPABILITY_DENIED} "Admin token required" when the caller is not an administrator
     */
    public static void requireAdmin(String adminHeader) {
        if (!isAdmin(adminHeader)) {
            throw LoomException.capabilityDenied("Admin token required",
                    LoomException.details("field", "x-loom-admin-token"));
        }
    }
}
