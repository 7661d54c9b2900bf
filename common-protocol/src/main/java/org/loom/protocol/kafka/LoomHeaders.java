package org.loom.protocol.kafka;

/**
 * Names of the Kafka record headers the node writes. Header values are UTF-8 text.
 *
 * <p>Every record carries {@link #MESSAGE_ID}, {@link #MESSAGE_TYPE}, {@link #SCHEMA_VERSION} and {@link #ORIGIN};
 * commands awaiting an answer add {@link #CORRELATION_ID} and {@link #REPLY_PARTITION}.
 */
public final class LoomHeaders {

    /** Unique per record; consumers store it to skip a record delivered twice. Also in the record body. */
    public static final String MESSAGE_ID = "loom-message-id";

    /** The wire name of the record's {@link MessageType}, so a consumer can pick the type before parsing the body. */
    public static final String MESSAGE_TYPE = "loom-message-type";

    /** Ties a command result to the request waiting for it. */
    public static final String CORRELATION_ID = "loom-correlation-id";

    /**
     * The partition of {@link Topics#ENVELOPE_COMMAND_RESULTS} the waiting gateway instance reads, as a decimal
     * number; the result is written to that partition so it reaches that instance.
     */
    public static final String REPLY_PARTITION = "loom-reply-partition";

    /** The version of the record body's shape, as a decimal number; see {@link #CURRENT_SCHEMA_VERSION}. */
    public static final String SCHEMA_VERSION = "loom-schema-version";

    /** The name of the service that produced the record (e.g. {@code api-gateway}). */
    public static final String ORIGIN = "loom-origin";

    /**
     * On an {@code envelope.submit} command: the value of the client's {@code X-LOOM-Capability} header (a token id
     * or a signed token), for a thread operation that presents its capability that way.
     */
    public static final String CAPABILITY = "loom-capability";

    /** The record body version this code writes. Consumers accept this version and reject unknown higher ones. */
    public static final int CURRENT_SCHEMA_VERSION = 1;

    private LoomHeaders() {
    }
}
