package org.loom.protocol.capability;

/**
 * What the node has recorded about an issued token since it was issued.
 *
 * @param revoked the token was revoked
 * @param spent   the token was single-use and has been used
 */
public record TokenState(boolean revoked, boolean spent) {

    /** Neither revoked nor spent. */
    public static final TokenState ACTIVE = new TokenState(false, false);
}
