package org.loom.email.bridge;

/** Where a bridged envelope came from; written to {@code meta.bridge.source} and the structured parameters. */
public enum BridgeSource {
    /** Mail received from the outside world by an MTA and posted to {@code /v1/bridge/email/inbound}. */
    EMAIL("email"),
    /** Mail a local user submitted through the legacy gateway ({@code /v1/gateway/smtp/submit}). */
    LEGACY_GATEWAY("legacy_gateway");

    private final String wireName;

    BridgeSource(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
