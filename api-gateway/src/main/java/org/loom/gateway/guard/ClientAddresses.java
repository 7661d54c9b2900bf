package org.loom.gateway.guard;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Who the client is, for rate limiting: the socket's peer address, unless that peer is a trusted proxy, in which case
 * {@code X-Forwarded-For} is read from the right, skipping trusted proxies, and the first address that is not one is
 * the client. Entries to the left of it were written by the client and prove nothing.
 */
public final class ClientAddresses {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    private final TrustedProxies trustedProxies;

    public ClientAddresses(TrustedProxies trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /** The client's address as text ({@code 203.0.113.7}, {@code 2001:db8:0:0:0:0:0:1}). */
    public String clientOf(HttpServletRequest request) {
        String peerText = request.getRemoteAddr();
        Optional<InetAddress> peer = IpLiteral.parse(peerText);
        if (peer.isEmpty() || trustedProxies.isEmpty() || !trustedProxies.contains(peer.get())) {
            return peer.map(InetAddress::getHostAddress).orElse(String.valueOf(peerText));
        }
        InetAddress nearest = peer.get();
        List<String> hops = forwardedFor(request);
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = IpLiteral.parse(hops.get(i));
            if (hop.isEmpty()) {
                // A trusted proxy always writes an address; text here came from further out. The nearest hop that
                // can be vouched for is the client as far as this gateway can tell.
                break;
            }
            nearest = hop.get();
            if (!trustedProxies.contains(nearest)) {
                break;
            }
        }
        return nearest.getHostAddress();
    }

    private static List<String> forwardedFor(HttpServletRequest request) {
        List<String> hops = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders(FORWARDED_FOR))) {
            for (String part : header.split(",")) {
                if (!part.isBlank()) {
                    hops.add(part.trim());
                }
            }
        }
        return hops;
    }
}
