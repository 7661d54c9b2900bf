package org.loom.delivery.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.loom.service.net.InternalAddresses;
import org.loom.service.net.IpRange;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Keeps outbound requests (webhook deliveries) off the node's own network: a URL whose host resolves to a loopback,
 * private, link-local, unspecified, multicast or reserved address ({@link InternalAddresses}) is refused unless every such address lies in a range of
 * {@link OutboundSettings#allowPrivateCidrs()}. Otherwise anyone able to register a webhook could make the node
 * call its internal services.
 */
@Component
@EnableConfigurationProperties(OutboundSettings.class)
public class OutboundAddressPolicy {

    private final List<IpRange> allowed;

    public OutboundAddressPolicy(OutboundSettings settings) {
        try {
            this.allowed = IpRange.parseAll(settings.allowPrivateCidrs());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("loom.outbound.allow-private-cidrs: " + e.getMessage(), e);
        }
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
            if (InternalAddresses.isInternal(address) && allowed.stream().noneMatch(range -> range.contains(address))) {
                return Optional.of("Outbound requests to private or loopback addresses are not allowed: "
                        + address.getHostAddress());
            }
        }
        return Optional.empty();
    }
}
