package org.loom.delivery.outbound;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which private destinations outbound requests may reach.
 *
 * @param allowPrivateCidrs ranges (CIDR, or single addresses) on private, loopback or link-local networks that
 *                          outbound requests may nevertheless reach ({@code LOOM_OUTBOUND_ALLOW_PRIVATE_CIDRS},
 *                          comma-separated; empty by default)
 */
@ConfigurationProperties("loom.outbound")
public record OutboundSettings(List<String> allowPrivateCidrs) {

    public OutboundSettings {
        allowPrivateCidrs = allowPrivateCidrs == null ? List.of()
                : allowPrivateCidrs.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
