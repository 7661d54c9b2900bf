package org.loom.federation.outbound;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How envelopes federated automatically are gathered into deliveries ({@code loom.federation.gather.*};
 * docs/configuration.md names each one's {@code LOOM_FEDERATION_GATHER_*} variable).
 *
 * <p>Each accepted envelope with recipients on another node joins the item already waiting for that node, if one is
 * still gathering, instead of making a delivery of its own. A new item is started only once the previous one has
 * fallen due, so a node makes at most one gathered delivery per window to each peer (more only when items fill up):
 * with the default of a second, 60 a minute, half of a reference peer's default per-node limit of 120, which leaves
 * room for retries and keeps the node off the peer's abuse list.
 *
 * @param window       how long a new item waits for more envelopes before its first attempt, and so the least time
 *                     between two gathered deliveries to one node; {@code 0} makes one delivery per envelope, at once
 *                     (at most 60 s)
 * @param maxEnvelopes the most envelopes one delivery carries: at most the peers' {@code inbound_max_envelopes}
 *                     (100 by default), or they refuse it with 413 (1..5000)
 */
@ConfigurationProperties("loom.federation.gather")
public record GatherSettings(@DefaultValue("1000ms") Duration window, @DefaultValue("100") int maxEnvelopes) {

    public GatherSettings {
        window = window == null || window.isNegative() ? Duration.ZERO
                : window.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : window;
        maxEnvelopes = Math.max(1, Math.min(maxEnvelopes, 5000));
    }

    /** Whether envelopes are gathered at all. */
    boolean enabled() {
        return !window.isZero() && maxEnvelopes > 1;
    }
}
