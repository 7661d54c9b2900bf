package org.loom.gateway.guard;

import java.net.InetAddress;
import java.util.List;
import org.loom.service.net.IpRange;

/**
 * The proxies allowed to tell the gateway who the client is, as addresses and CIDR ranges ({@code 10.0.0.0/8},
 * {@code 127.0.0.1}, {@code fd00::/8}).
 */
public final class TrustedProxies {

    private final List<IpRange> ranges;

    private TrustedProxies(List<IpRange> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** Nobody is trusted: the socket address is always the client. */
    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /**
     * Parses addresses and CIDR ranges; blank entries are skipped.
     *
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static TrustedProxies parse(List<String> entries) {
        try {
            return new TrustedProxies(IpRange.parseAll(entries));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Trusted proxy " + e.getMessage(), e);
        }
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean contains(InetAddress address) {
        return ranges.stream().anyMatch(range -> range.contains(address));
    }
}
