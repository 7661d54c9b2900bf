package org.loom.protocol.kafka;

/**
 * A record body carried on one of the node's topics. Every one has a message id, unique per record, that consumers
 * store to skip redeliveries.
 */
public interface LoomMessage {

    /** Unique per record; the same value is written to the {@link LoomHeaders#MESSAGE_ID} header. */
    String messageId();
}
