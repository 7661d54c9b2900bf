package org.loom.protocol.id;

/**
 * The type prefixes of every ULID-based identifier the protocol and the node hand out. The prefix makes an id
 * self-describing on the wire, so an envelope id can never be mistaken for a thread id.
 */
public enum IdPrefix {
    ENVELOPE("env_"),
    THREAD("thr_"),
    ATTACHMENT("att_"),
    BLOB("blob_"),
    CAPABILITY("cap_"),
    EVENT("evt_"),
    DELEGATION("dlg_"),
    CHALLENGE("chl_"),
    NONCE("nonce_"),
    WEBHOOK("wh_"),
    WEBHOOK_OUTBOX("wout_"),
    EMAIL_OUTBOX("eout_"),
    FEDERATION_OUTBOX("fout_"),
    FEDERATION_DELIVERY("fdel_"),
    FEDERATION_CHALLENGE("fch_");

    private final String text;

    IdPrefix(String text) {
        this.text = text;
    }

    /** The prefix as written on the wire, including its trailing underscore. */
    public String text() {
        return text;
    }

    /** The full identifier for a ULID: prefix followed by its 26 characters. */
    public String format(Ulid ulid) {
        return text + ulid;
    }
}
