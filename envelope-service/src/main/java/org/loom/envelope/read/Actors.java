package org.loom.envelope.read;

import org.loom.protocol.error.LoomException;

/**
 * The caller of an internal read route. The gateway authenticates the client and passes the identity in
 * {@link #HEADER}; this service listens on the node's internal network only and trusts that header.
 */
public final class Actors {

    /** The header the gateway sets to the authenticated identity. */
    public static final String HEADER = "X-LOOM-Actor";

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
}
