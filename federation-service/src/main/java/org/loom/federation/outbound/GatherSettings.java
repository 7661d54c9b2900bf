package org.loom.federation.outbound;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How envelopes federated automatically are gathered into deliveries ({@code loom.federation.gather.*};
 * docs/configuration.md names each one's {@code LOOM_FEDERATION_GATHER_*} variable).
 *
 * <p>Each accepted envelope with recipients on another node joins the item already waiting for that node, if one is
 * still gathering, instead of making a delivery of its own. A node that sends much mail to one peer then makes a few
 * large signed deliveries rather than one per envelope, which is what keeps it inside the peer's per-node request
 * limit (120 a minute by default) and off its abuse list.
 *
 * @param window       how long a new item waits for more envelopes before its first attempt; {@code 0} makes one
 *                     delivery per envelope, at once (at most 60 s)
 * @param maxEnvelopes the most envelopes one delivery carries: at most the peers' {@code inbound_max_envelopes}
 *                     (100 by default), or they refuse it with 413 (1..5000)
 */
@ConfigurationProperties("loom.federation.gather")
public record GatherSettings(@DefaultValue("250ms") Duration window, @DefaultValue("100") int maxEnvelopes) {

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
