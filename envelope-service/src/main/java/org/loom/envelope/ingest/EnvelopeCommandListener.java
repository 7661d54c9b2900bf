package org.loom.envelope.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;

/**
 * Consumes the envelope command topic. Each {@code envelope.submit} command is decided by {@link EnvelopeIngest},
 * each {@code authority.command} (capabilities, delegations) by {@link AuthorityCommandHandler}; {@code
 * thread.relation} commands (the effect of a fork, merge or link on another thread) are applied by
 * {@link ThreadRelationHandler} and answer nobody.
 *
 * <p>The commands of a poll are taken in chunks of {@link IngestSettings#commandBatchSize()}, each decided in one
 * transaction. A chunk in which any command is refused or fails is rolled back and decided again one command at a
 * time: then a protocol refusal is recorded and answered in a transaction of its own, and so is a failure that holds
 * one ({@link ProtocolErrorResponses#protocolErrorIn}: the database refusing the client's text, on PostgreSQL a NUL).
 * Any other failure goes to the container's error handler, which commits the offsets before the record, tries it
 * again and finally answers {@code INTERNAL_ERROR} ({@link #giveUp}). Offsets are committed only after the
 * transactions of their records committed, so a crash in between redelivers commands, and the processed-message
 * records make the redeliveries no-ops.
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
    private final TransactionTemplate transactions;
    private final IngestSettings settings;

    EnvelopeCommandListener(EnvelopeIngest ingest, AuthorityCommandHandler authority,
            ThreadRelationHandler relations, TransactionTemplate transactions, IngestSettings settings) {
        this.ingest = ingest;
        this.authority = authority;
        this.relations = relations;
        this.transactions = transactions;
        this.settings = settings;
    }

    @KafkaListener(id = LISTENER_ID, idIsGroup = false, batch = "true",
            topics = "#{T(org.loom.protocol.kafka.Topics).ENVELOPE_COMMANDS.name()}",
            containerFactory = CommandListenerConfiguration.CONTAINER_FACTORY)
    void onCommands(List<ConsumerRecord<String, String>> records) {
        List<Command> commands = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            commands.add(new Command(record, read(record)));
        }
        int size = settings.commandBatchSize();
        for (int from = 0; from < commands.size(); from += size) {
            List<Command> chunk = commands.subList(from, Math.min(from + size, commands.size()));
            if (chunk.size() > 1 && decidedTogether(chunk)) {
                continue;
            }
            for (Command command : chunk) {
                try {
                    decideAlone(command);
                } catch (RuntimeException failure) {
                    // The container's error handler commits the offsets before this record, retries it with
                    // backoff, answers INTERNAL_ERROR when the attempts are spent (giveUp), then goes on after it.
                    throw new BatchListenerFailedException("Command failed", failure, command.record());
                }
            }
        }
    }

    /** A polled record and the command read from it; empty when the record holds nothing to act on. */
    private record Command(ConsumerRecord<String, String> record, Optional<LoomMessage> message) {
    }

    /**
     * Decides the commands in one transaction, so that they share its commit (on PostgreSQL, one flush of the log
     * instead of one per command); false, with nothing kept, as soon as one of them is refused or fails. The caller
     * then decides them one by one, each refusal answered in a transaction of its own, exactly as it would have
     * without the first try: a refused command costs its chunk a second pass, an accepted one nothing more.
     */
    private boolean decidedTogether(List<Command> chunk) {
        try {
            transactions.executeWithoutResult(status -> {
                for (Command command : chunk) {
                    if (command.message().isPresent()) {
                        decide(command.message().get(), replyAddress(command.record()), command.record());
                    }
                }
            });
            return true;
        } catch (RuntimeException refusedOrFailed) {
            log.debug("A chunk of {} commands is decided one by one: {}", chunk.size(), refusedOrFailed.toString());
            return false;
        }
    }

    /** Decides one command in transactions of its own: a refusal is recorded and answered, any other failure thrown. */
    private void decideAlone(Command command) {
        if (command.message().isEmpty()) {
            return;
        }
        ConsumerRecord<String, String> record = command.record();
        ReplyAddress replyTo = replyAddress(record);
        LoomMessage message = command.message().get();
        try {
            decide(message, replyTo, record);
        } catch (RuntimeException failure) {
            LoomException refusal = refusalIn(failure);
            if (message instanceof SubmitEnvelopeCommand submit) {
                ingest.refuse(submit, replyTo, refusal);
            } else if (message instanceof AuthorityCommand authorityCommand) {
                ingest.refuse(authorityCommand.messageId(), authorityCommand.correlationId(), replyTo, refusal);
            } else {
                throw failure;
            }
        }
    }

    /** Applies the command, throwing its refusal or failure; joins the caller's transaction when there is one. */
    private void decide(LoomMessage message, ReplyAddress replyTo, ConsumerRecord<String, String> record) {
        if (message instanceof SubmitEnvelopeCommand command) {
            ingest.submit(command, replyTo, header(record, LoomHeaders.CAPABILITY));
        } else if (message instanceof AuthorityCommand command) {
            authority.handle(command, replyTo);
        } else if (message instanceof ThreadRelationCommand command) {
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
