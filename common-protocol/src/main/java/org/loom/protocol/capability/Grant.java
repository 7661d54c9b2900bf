package org.loom.protocol.capability;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The grants a capability token can carry (spec §12.2). Tokens keep their grants as wire strings, because issuers may
 * name grants this node does not know; this enum names the ones the protocol defines.
 */
public enum Grant {
    READ,
    REPLY,
    FORWARD,
    DELEGATE,
    FORK,
    MERGE,
    ADD_PARTICIPANT,
    REMOVE_PARTICIPANT,
    ESCALATE,
    RESOLVE,
    ARCHIVE,
    LOCK,
    LABEL,
    /** The superset: a token holding it may do whatever any other grant allows. */
    ADMIN;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The grant as written in tokens, e.g. {@code add_participant}. */
    public String wireName() {
        return wireName;
    }

    /** The known grant with this exact wire name. */
    public static Optional<Grant> fromWire(String wireName) {
        for (Grant grant : values()) {
            if (grant.wireName.equals(wireName)) {
                return Optional.of(grant);
            }
        }
        return Optional.empty();
    }

    /** True when a token holding these wire grants may use the required one ({@code admin} always may). */
    public static boolean isGranted(Collection<String> heldGrants, String requiredGrant) {
        return heldGrants.contains(requiredGrant) || heldGrants.contains(ADMIN.wireName);
    }

    /** True when these wire grants include this grant, directly or through {@code admin}. */
    public boolean isGrantedBy(Collection<String> heldGrants) {
        return isGranted(heldGrants, wireName);
    }
}
