package org.loom.envelope.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.AuthorityCommand;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.LoomMessage;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.protocol.kafka.ThreadRelationCommand;
import org.loom.service.web.ProtocolErrorResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

/**
 * Consumes the envelope command topic. Each {@code envelope.submit} command is decided by {@link EnvelopeIngest},
 * each {@code authority.command} (capabilities, delegations) by {@link AuthorityCommandHandler}; a protocol refusal
 * is recorded and answered in a transaction of its own, and so is a failure that holds one
 * ({@link ProtocolErrorResponses#protocolErrorIn}: the database refusing the client's text, on PostgreSQL a NUL).
 * {@code thread.relation} commands (the effect of a fork, merge or link on another thread) are applied by
 * {@link ThreadRelationHandler} and answer nobody. Any other failure propagates to the container's error handler,
 * which tries the record again and finally answers {@code INTERNAL_ERROR} ({@link #giveUp}). The offset is committed
 * only after the record's transaction committed, so a crash in between redelivers the command, and the
 * processed-message record makes the redelivery a no-op.
 */
@Component
public class EnvelopeCommandListener {

    /** The listener container's id, for finding it in the registry. */
    public static final String LISTENER_ID = "envelope-commands";

    private static final Logger log = LoggerFactory.getLogger(EnvelopeCommandListener.class);

    /** The record types on the command topic this service decides. */
    private static final Set<MessageType> HANDLED =
            Set.of(MessageType.ENVELOPE_SUBMIT, MessageType.AUTHORITY_COMMAND, MessageType.THREAD_RELATION);

    private final EnvelopeIngest ingest;
    private final AuthorityCommandHandler authority;
    private final ThreadRelationHandler relations;

    EnvelopeCommandListener(EnvelopeIngest ingest, AuthorityCommandHandler authority,
            ThreadRelationHandler relations) {
        this.ingest = ingest;
        this.authority = authority;
        this.relations = relations;
    }

    @KafkaListener(id = LISTENER_ID, idIsGroup = false,
            topics = "#{T(org.loom.protocol.kafka.Topics).ENVELOPE_COMMANDS.name()}",
            containerFactory = CommandListenerConfiguration.CONTAINER_FACTORY)
    void onCommand(ConsumerRecord<String, String> record) {
        Optional<LoomMessage> message = read(record);
        if (message.isEmpty()) {
            return;
        }
        ReplyAddress replyTo = replyAddress(record);
        if (message.get() instanceof SubmitEnvelopeCommand command) {
            try {
                ingest.submit(command, replyTo, header(record, LoomHeaders.CAPABILITY));
            } catch (RuntimeException failure) {
                ingest.refuse(command, replyTo, refusalIn(failure));
            }
        } else if (message.get() instanceof AuthorityCommand command) {
            try {
                authority.handle(command, replyTo);
            } catch (RuntimeException failure) {
                ingest.refuse(command.messageId(), command.correlationId(), replyTo, refusalIn(failure));
            }
        } else if (message.get() instanceof ThreadRelationCommand command) {
            relations.apply(command);
        }
    }

    /** The protocol refusal a failure holds; any other failure is rethrown, for the container to retry. */
    private static LoomException refusalIn(RuntimeException failure) {
        LoomException refusal = ProtocolErrorResponses.protocolErrorIn(failure);
        if (refusal == null) {
            throw failure;
        }
        return refusal;
    }

    /** Answers a command that failed every attempt with {@code INTERNAL_ERROR}; the error handler calls this. */
    void giveUp(ConsumerRecord<?, ?> record, Exception failure) {
        if (!(record.value() instanceof String value)) {
            log.error("Dropping command record at {}-{}@{}: not text", record.topic(), record.partition(),
                    record.offset(), failure);
            return;
        }
        @SuppressWarnings("unchecked")
        ConsumerRecord<String, String> text = (ConsumerRecord<String, String>) record;
        Optional<LoomMessage> message = read(text);
        String correlationId = null;
        if (message.orElse(null) instanceof SubmitEnvelopeCommand command) {
            correlationId = command.correlationId();
        } else if (message.orElse(null) instanceof AuthorityCommand command) {
            correlationId = command.correlationId();
        }
        if (correlationId == null) {
            log.error("Command record at {}-{}@{} failed every attempt; nobody waits for it", record.topic(),
                    record.partition(), record.offset(), failure);
            return;
        }
        log.error("Command {} (correlation {}) failed every attempt; answering INTERNAL_ERROR",
                message.get().messageId(), correlationId, failure);
        ingest.giveUp(message.get().messageId(), correlationId, replyAddress(text));
    }

    /**
     * The command a record carries; empty, after logging why, for a record this service cannot act on. Such a record
     * is skipped rather than retried: retrying cannot make it readable, and without a correlation id there is no one
     * to answer.
     */
    private static Optional<LoomMessage> read(ConsumerRecord<String, String> record) {
        String typeName = header(record, LoomHeaders.MESSAGE_TYPE);
        MessageType type = typeName == null ? MessageType.ENVELOPE_SUBMIT
                : MessageType.fromWireName(typeName).filter(HANDLED::contains).orElse(null);
        if (type == null) {
            log.warn("Skipping record of type {} at {}-{}@{}: not a command this service handles", typeName,
                    record.topic(), record.partition(), record.offset());
            return Optional.empty();
        }
        String version = header(record, LoomHeaders.SCHEMA_VERSION);
        if (version != null && !version.equals(Integer.toString(LoomHeaders.CURRENT_SCHEMA_VERSION))) {
            log.error("Skipping command at {}-{}@{}: schema version {} is not {}", record.topic(), record.partition(),
                    record.offset(), version, LoomHeaders.CURRENT_SCHEMA_VERSION);
            return Optional.empty();
        }
        if (record.value() == null) {
            log.error("Skipping empty command record at {}-{}@{}", record.topic(), record.partition(),
                    record.offset());
            return Optional.empty();
        }
        try {
            return Optional.of(LoomJson.mapper().readValue(record.value(), type.recordClass()));
        } catch (JacksonException | IllegalArgumentException e) {
            log.error("Skipping unreadable command at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Where the answer goes: {@link LoomHeaders#REPLY_PARTITION} and {@link LoomHeaders#ORIGIN} of the command. */
    private static ReplyAddress replyAddress(ConsumerRecord<String, String> record) {
        return new ReplyAddress(replyPartition(record), header(record, LoomHeaders.ORIGIN));
    }

    /** The results partition the waiting instance reads, from {@link LoomHeaders#REPLY_PARTITION}. */
    private static OptionalInt replyPartition(ConsumerRecord<String, String> record) {
        String value = header(record, LoomHeaders.REPLY_PARTITION);
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            int partition = Integer.parseInt(value.trim());
            return partition >= 0 ? OptionalInt.of(partition) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            log.warn("Ignoring reply partition '{}' of command at {}-{}@{}", value, record.topic(),
                    record.partition(), record.offset());
            return OptionalInt.empty();
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
