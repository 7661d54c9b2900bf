package org.loom.protocol.capability;

import java.util.List;
import java.util.Objects;
import org.loom.protocol.envelope.Priority;

/**
 * What a capability token is limited to (spec §12.1 {@code scope}): one thread, and optionally envelope types, a
 * thread depth, a priority ceiling and a stance on external domains. An absent restriction is {@code null}.
 *
 * @param threadId        the thread the token is for
 * @param envelopeTypes   the envelope types the token may be used with, or {@code null} for any
 * @param maxDepth        the depth limit the issuer set, or {@code null} for none; carried and signed, not
 *                        interpreted by the usability check
 * @param maxPriority     the highest priority the token may be used with, or {@code null} for any
 * @param externalDomains {@code deny} or {@code allow}, or {@code null} when unspecified
 */
public record CapabilityScope(
        String threadId,
        List<String> envelopeTypes,
        Integer maxDepth,
        Priority maxPriority,
        String externalDomains) {

    public CapabilityScope {
        Objects.requireNonNull(threadId, "threadId");
        envelopeTypes = envelopeTypes == null ? null : List.copyOf(envelopeTypes);
        if (maxDepth != null && maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must not be negative");
        }
        if (externalDomains != null && !externalDomains.equals("deny") && !externalDomains.equals("allow")) {
            throw new IllegalArgumentException("externalDomains must be deny or allow");
        }
    }

    /** A scope limited to the thread only. */
    public static CapabilityScope thread(String threadId) {
        return new CapabilityScope(threadId, null, null, null, null);
    }

    /** True when the scope lets the token be used with this envelope type. */
    public boolean allowsEnvelopeType(String envelopeType) {
        return envelopeTypes == null || envelopeTypes.contains(envelopeType);
    }

    /** True when the scope lets the token be used at this priority. */
    public boolean allowsPriority(Priority priority) {
        return maxPriority == null || priority.compareTo(maxPriority) <= 0;
    }
}
