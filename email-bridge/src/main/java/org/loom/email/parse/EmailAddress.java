package org.loom.email.parse;

import java.util.Objects;

/**
 * One mailbox read from an address header.
 *
 * @param displayName the phrase before the address, decoded and unquoted; null when there was none
 * @param address     the address itself, lower-cased ({@code local@domain}), or a {@code loom://}/{@code bridge://}
 *                    identity written verbatim in its place
 */
public record EmailAddress(String displayName, String address) {

    public EmailAddress {
        Objects.requireNonNull(address, "address");
    }

    /** True when the item named a LOOM identity rather than an email address. */
    public boolean isLoomIdentity() {
        return address.startsWith("loom://") || address.startsWith("bridge://");
    }
}
