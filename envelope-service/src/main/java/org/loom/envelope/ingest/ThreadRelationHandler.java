package org.loom.envelope.ingest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.loom.envelope.thread.Participant;
import org.loom.envelope.thread.ThreadFork;
import org.loom.envelope.thread.ThreadLink;
import org.loom.envelope.thread.ThreadRecord;
import org.loom.envelope.thread.ThreadRelationStore;
import org.loom.envelope.thread.ThreadStore;
import org.loom.protocol.kafka.ThreadRelationCommand;
import org.loom.protocol.kafka.Topics;
import org.loom.protocol.thread.ThreadRelation;
import org.loom.protocol.thread.ThreadState;
import org.loom.protocol.time.Timestamps;
import org.loom.service.messaging.ProcessedMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Applies the effect of a fork, merge or link on the other thread, under that thread's lock.
 *
 * <p>A fork thread is created as a thread whose first event is its creation: its event sequence starts at 1 with no
 * envelope, so it is visible and open to its participants before anyone writes in it, and its first envelope gets
 * {@code event_seq} 2.
 */
@Service
public class ThreadRelationHandler {

    private static final Logger log = LoggerFactory.getLogger(ThreadRelationHandler.class);

    private final ThreadStore threads;
    private final ThreadRelationStore relations;
    private final ProcessedMessages processed;
    private final Clock clock;

    ThreadRelationHandler(ThreadStore threads, ThreadRelationStore relations, ProcessedMessages processed,
            Clock clock) {
        this.threads = threads;
        this.relations = relations;
        this.processed = processed;
        this.clock = clock;
    }

    @Transactional
    public void apply(ThreadRelationCommand command) {
        if (!processed.firstDelivery(command.messageId(), Topics.ENVELOPE_COMMANDS.name())) {
            return;
        }
        switch (command.effect()) {
            case ThreadRelationCommand.FORK_OPENED -> openFork(command);
            case ThreadRelationCommand.FORK_MERGED -> onThread(command, parent -> {
                relations.setForkState(parent.id(), command.sourceThreadId(), ThreadState.MERGED.wireName());
                relations.addLink(parent.id(), new ThreadLink(command.sourceThreadId(),
                        ThreadRelation.MERGED_FROM.wireName()));
            });
            case ThreadRelationCommand.LINKED -> onThread(command, target ->
                    relations.addLink(target.id(), new ThreadLink(command.sourceThreadId(), command.relation())));
            default -> log.warn("Ignoring thread relation effect {}", command.effect());
        }
    }

    private void openFork(ThreadRelationCommand command) {
        String now = Timestamps.format(clock.instant());
        JsonNode details = command.details();
        String createdAt = details.path("created_at").isString() ? details.get("created_at").stringValue() : now;
        ThreadRecord opened = threads.lockOrOpen(ThreadRecord.opening(command.threadId(), createdAt, now));
        if (!opened.opening()) {
            log.warn("Fork thread {} of {} exists already; leaving it as it is", command.threadId(),
                    command.sourceThreadId());
            return;
        }
        Optional<String> subject = details.path("subject").isString()
                ? Optional.of(details.get("subject").stringValue()) : Optional.empty();
        ThreadRecord fork = new ThreadRecord(opened.id(), Optional.empty(), subject, ThreadState.ACTIVE, createdAt,
                now, List.of(), 0, 1);
        threads.update(fork);
        List<Participant> members = new ArrayList<>();
        for (JsonNode member : details.path("participants")) {
            members.add(new Participant(member.path("identity").stringValue(), member.path("role").stringValue(),
                    createdAt, Optional.empty()));
        }
        threads.addParticipants(fork.id(), members);
        relations.addLink(fork.id(), new ThreadLink(command.sourceThreadId(), ThreadRelation.PARENT.wireName()));
    }

    private void onThread(ThreadRelationCommand command, Consumer<ThreadRecord> change) {
        Optional<ThreadRecord> thread = threads.lock(command.threadId()).filter(found -> !found.opening());
        if (thread.isEmpty()) {
            log.warn("Thread {} named by a {} effect from {} does not exist; nothing to change", command.threadId(),
                    command.effect(), command.sourceThreadId());
            return;
        }
        change.accept(thread.get());
        threads.update(thread.get().touched(Timestamps.format(clock.instant())));
    }
}
