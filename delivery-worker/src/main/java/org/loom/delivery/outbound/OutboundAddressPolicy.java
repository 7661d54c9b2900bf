package org.loom.delivery.outbound;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Keeps outbound requests (webhook deliveries) off the node's own network: a URL whose host resolves to a loopback,
 * private, link-local, unspecified or multicast address is refused unless every such address lies in a range of
 * {@link OutboundSettings#allowPrivateCidrs()}. Otherwise anyone able to register a webhook could make the node
 * call its internal services.
 */
@Component
@EnableConfigurationProperties(OutboundSettings.class)
public class OutboundAddressPolicy {

    private final List<Cidr> allowed;

    public OutboundAddressPolicy(OutboundSettings settings) {
        this.allowed = settings.allowPrivateCidrs().stream().map(Cidr::parse).toList();
    }

    /** Why the URL may not be called, or empty when it may. Resolves the host name. */
    public Optional<String> refusal(URI url) {
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("URL has no host");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return Optional.of("Host cannot be resolved: " + host);
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address) && allowed.stream().noneMatch(range -> range.contains(address))) {
                return Optional.of("Outbound requests to private or loopback addresses are not allowed: "
                        + address.getHostAddress());
            }
        }
        return Optional.empty();
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            // fc00::/7, unique local addresses: IPv6's private networks.
            return (bytes[0] & 0xfe) == 0xfc;
        }
        // 100.64.0.0/10, carrier-grade NAT: not routable on the internet either.
        return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
    }

    /** An address range, e.g. {@code 127.0.0.0/8} or {@code ::1/128}; a bare address is a range of one. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            if (!address.matches("[0-9a-fA-F:.]+")) {
                // Only literals: a host name here would make the setting depend on DNS.
                throw new IllegalArgumentException("loom.outbound.allow-private-cidrs: not an IP range: " + text);
            }
            try {
                byte[] network = InetAddress.getByName(address).getAddress();
                int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("loom.outbound.allow-private-cidrs: bad prefix in " + text);
                }
                return new Cidr(network, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("loom.outbound.allow-private-cidrs: not an IP range: " + text, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }
}
