package org.loom.service.net;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Addresses an outbound request on behalf of a client (a webhook delivery, a federation bootstrap) must not reach by
 * default, because they lead into the node's own network rather than to the internet: loopback, private, link-local,
 * unspecified, multicast, carrier-grade NAT, IPv6 unique local, and the reserved IPv4 blocks.
 */
public final class InternalAddresses {

    private InternalAddresses() {
    }

    public static boolean isInternal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] raw = address.getAddress();
        if (address instanceof Inet6Address) {
            // fc00::/7, unique local addresses: IPv6's private networks.
            return (raw[0] & 0xfe) == 0xfc;
        }
        int first = raw[0] & 0xff;
        int second = raw[1] & 0xff;
        // 0.0.0.0/8 ("this network"), 100.64.0.0/10 (carrier-grade NAT), 240.0.0.0/4 and broadcast (reserved).
        return first == 0 || (first == 100 && (second & 0xc0) == 64) || first >= 240;
    }
}
