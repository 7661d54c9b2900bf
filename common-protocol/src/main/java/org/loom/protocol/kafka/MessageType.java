package org.loom.protocol.kafka;

import java.util.Arrays;
import java.util.Optional;

/**
 * The record types on the node's topics, by the wire name written to the {@link LoomHeaders#MESSAGE_TYPE} header.
 * A consumer reads the header, looks the type up with {@link #fromWireName(String)}, and parses the body as
 * {@link #recordClass()}.
 */
public enum MessageType {

    ENVELOPE_SUBMIT("envelope.submit", SubmitEnvelopeCommand.class),
    AUTHORITY_COMMAND("authority.command", AuthorityCommand.class),
    THREAD_RELATION("thread.relation", ThreadRelationCommand.class),
    COMMAND_RESULT("command.result", CommandResult.class),
    ENVELOPE_ACCEPTED("envelope.accepted", EnvelopeAccepted.class),
    IDENTITY_CHANGED("identity.changed", IdentityChanged.class),
    AUDIT_RECORD("audit.record", AuditRecord.class),
    DEAD_LETTER("outbox.dead_letter", DeadLetter.class);

    private final String wireName;
    private final Class<? extends LoomMessage> recordClass;

    MessageType(String wireName, Class<? extends LoomMessage> recordClass) {
        this.wireName = wireName;
        this.recordClass = recordClass;
    }

    /** The value of the {@link LoomHeaders#MESSAGE_TYPE} header. */
    public String wireName() {
        return wireName;
    }

    /** The Java record the body of this type parses into. */
    public Class<? extends LoomMessage> recordClass() {
        return recordClass;
    }

    /** The type with the given header value; empty for a type this code does not know. */
    public static Optional<MessageType> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(wireName)).findFirst();
    }

    /** The type of a record body. */
    public static MessageType of(LoomMessage message) {
        return Arrays.stream(values())
                .filter(type -> type.recordClass.isInstance(message))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no message type for " + message.getClass()));
    }
}
