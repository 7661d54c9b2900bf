package org.loom.service.messaging;

/** The broker did not acknowledge an outbox event; it stays waiting and is published by a later pass. */
public class OutboxRelayException extends RuntimeException {

    public OutboxRelayException(String message, Throwable cause) {
        super(message, cause);
    }
}
