package org.loom.gateway.guard;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who the client is, for rate limiting, the request log and security audit events: the socket's peer address, unless
 * that peer is a trusted proxy. Then the proxy's record of the hops ({@code X-Forwarded-For}, or the standard
 * {@code Forwarded} header's {@code for=} parameters) is read from the right, skipping trusted proxies, and the first
 * address that is not one is the client. Entries to the left of it were written by the client and prove nothing.
 *
 * <p>A proxy writes one of the two headers; the other, if present, came from the client. When both are present and
 * name different clients, neither can be believed and the peer itself is the client: a forger then only shares the
 * proxy's window with other forgers, never picks a fresh one per request.
 */
public final class ClientAddresses {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    static final String FORWARDED = "Forwarded";

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
        List<String> forwardedFor = forwardedFor(request);
        List<String> forwarded = forwarded(request);
        if (forwarded.isEmpty()) {
            return nearestUntrusted(peer.get(), forwardedFor).getHostAddress();
        }
        if (forwardedFor.isEmpty()) {
            return nearestUntrusted(peer.get(), forwarded).getHostAddress();
        }
        InetAddress byForwardedFor = nearestUntrusted(peer.get(), forwardedFor);
        InetAddress byForwarded = nearestUntrusted(peer.get(), forwarded);
        return (byForwardedFor.equals(byForwarded) ? byForwardedFor : peer.get()).getHostAddress();
    }

    private InetAddress nearestUntrusted(InetAddress peer, List<String> hops) {
        InetAddress nearest = peer;
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
        return nearest;
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

    /**
     * The {@code for=} node of every element of the {@code Forwarded} headers (RFC 7239), in order, as address text
     * without port; an element without one, or naming {@code unknown} or an obfuscated node, yields text that is not
     * an address, which ends the walk there.
     */
    private static List<String> forwarded(HttpServletRequest request) {
        List<String> hops = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders(FORWARDED))) {
            for (String element : splitOutsideQuotes(header, ',')) {
                if (element.isBlank()) {
                    continue;
                }
                String node = "";
                for (String pair : splitOutsideQuotes(element, ';')) {
                    int equals = pair.indexOf('=');
                    if (equals > 0 && pair.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("for")) {
                        node = forwardedNode(pair.substring(equals + 1).trim());
                    }
                }
                hops.add(node);
            }
        }
        return hops;
    }

    /** {@code 192.0.2.1}, {@code "192.0.2.1:80"}, {@code "[2001:db8::1]:80"} → the address text alone. */
    private static String forwardedNode(String value) {
        String node = value;
        if (node.length() >= 2 && node.startsWith("\"") && node.endsWith("\"")) {
            node = node.substring(1, node.length() - 1);
        }
        if (node.startsWith("[")) {
            int close = node.indexOf(']');
            return close > 0 ? node.substring(1, close) : "";
        }
        int colon = node.indexOf(':');
        // One colon is an IPv4 address with a port; more would be an unbracketed IPv6 address, which the syntax
        // does not allow but which is unambiguous enough to read as written.
        return colon >= 0 && node.indexOf(':', colon + 1) < 0 ? node.substring(0, colon) : node;
    }

    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString().trim());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString().trim());
        return parts;
    }
}
