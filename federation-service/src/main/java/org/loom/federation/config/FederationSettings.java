package org.loom.federation.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The federation guards and limits ({@code loom.federation.*}); docs/configuration.md names each one's
 * {@code LOOM_FEDERATION_*} variable. Out-of-range values are clamped as the reference node clamps them.
 *
 * @param nodeRateWindow            the per-node inbound window
 * @param nodeRateMax               signed requests one node may make per window
 * @param globalRateWindow          the node-wide inbound window
 * @param globalRateMax             signed requests all nodes together may make per window
 * @param inboundMaxEnvelopes       envelopes per delivery (1..5000)
 * @param abuseAutoPolicyEnabled    whether failures move a node to quarantine and deny by themselves
 * @param abuseWindow               the window failures are counted in
 * @param abuseQuarantineThreshold  failures in the window that quarantine a trusted node
 * @param abuseDenyThreshold        failures in the window that deny a node (at least quarantine + 1)
 * @param autoPolicyDuration        how long an automatic policy lasts
 * @param requireSignedReceipts     whether an outbound delivery without a valid signed receipt fails
 * @param challengeEscalationEnabled whether repeated failures make a node prove itself with a challenge token
 * @param challengeThreshold        failures (or reputation score) that require a challenge
 * @param challengeDuration         how long a challenge requirement and a token last
 * @param freshnessWindow           how far a request timestamp may be from this node's clock
 * @param nonceTtl                  how long an accepted nonce is remembered
 * @param remoteIdentityTtl         how long a remote identity's keys are used before fetching them again
 * @param decisionTimeout           how long an inbound envelope waits for the envelope-service's decision
 * @param fetchTimeout              the default timeout of outbound fetches (bootstrap, remote identities)
 * @param allowPrivateNetwork       whether outbound fetches may reach loopback and private addresses over http
 * @param replyGroupId              the consumer group of this service's command results
 */
@ConfigurationProperties("loom.federation")
public record FederationSettings(
        @DefaultValue("60000ms") Duration nodeRateWindow,
        @DefaultValue("120") int nodeRateMax,
        @DefaultValue("60000ms") Duration globalRateWindow,
        @DefaultValue("1000") int globalRateMax,
        @DefaultValue("100") int inboundMaxEnvelopes,
        @DefaultValue("true") boolean abuseAutoPolicyEnabled,
        @DefaultValue("300000ms") Duration abuseWindow,
        @DefaultValue("3") int abuseQuarantineThreshold,
        @DefaultValue("6") int abuseDenyThreshold,
        @DefaultValue("1800000ms") Duration autoPolicyDuration,
        @DefaultValue("false") boolean requireSignedReceipts,
        @DefaultValue("false") boolean challengeEscalationEnabled,
        @DefaultValue("3") int challengeThreshold,
        @DefaultValue("900000ms") Duration challengeDuration,
        @DefaultValue("300000ms") Duration freshnessWindow,
        @DefaultValue("900000ms") Duration nonceTtl,
        @DefaultValue("3600000ms") Duration remoteIdentityTtl,
        @DefaultValue("10000ms") Duration decisionTimeout,
        @DefaultValue("5000ms") Duration fetchTimeout,
        @DefaultValue("false") boolean allowPrivateNetwork,
        @DefaultValue("federation-service-replies") String replyGroupId) {

    public FederationSettings {
        nodeRateWindow = atLeast(nodeRateWindow, Duration.ofSeconds(1), Duration.ofMinutes(1));
        nodeRateMax = nodeRateMax <= 0 ? 120 : nodeRateMax;
        globalRateWindow = atLeast(globalRateWindow, Duration.ofSeconds(1), Duration.ofMinutes(1));
        globalRateMax = globalRateMax <= 0 ? 1000 : globalRateMax;
        inboundMaxEnvelopes = Math.max(1, Math.min(inboundMaxEnvelopes, 5000));
        abuseWindow = atLeast(abuseWindow, Duration.ofSeconds(1), Duration.ofMinutes(5));
        abuseQuarantineThreshold = Math.max(1, abuseQuarantineThreshold);
        abuseDenyThreshold = Math.max(abuseQuarantineThreshold + 1, abuseDenyThreshold);
        autoPolicyDuration = atLeast(autoPolicyDuration, Duration.ofSeconds(1), Duration.ofMinutes(30));
        challengeThreshold = Math.max(1, challengeThreshold);
        challengeDuration = atLeast(challengeDuration, Duration.ofSeconds(1), Duration.ofMinutes(15));
        freshnessWindow = atLeast(freshnessWindow, Duration.ofSeconds(1), Duration.ofMinutes(5));
        // A nonce must outlive the window in which its timestamp is still accepted.
        nonceTtl = atLeast(nonceTtl, freshnessWindow.multipliedBy(2), Duration.ofMinutes(15));
        remoteIdentityTtl = atLeast(remoteIdentityTtl, Duration.ZERO, Duration.ofHours(1));
        decisionTimeout = atLeast(decisionTimeout, Duration.ofMillis(100), Duration.ofSeconds(10));
        fetchTimeout = atLeast(fetchTimeout, Duration.ofMillis(500), Duration.ofSeconds(5));
        if (fetchTimeout.compareTo(Duration.ofSeconds(20)) > 0) {
            fetchTimeout = Duration.ofSeconds(20);
        }
        replyGroupId = replyGroupId == null || replyGroupId.isBlank() ? "federation-service-replies" : replyGroupId;
    }

    private static Duration atLeast(Duration value, Duration minimum, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        return value.compareTo(minimum) < 0 ? minimum : value;
    }
}
