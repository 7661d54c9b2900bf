package org.loom.envelope.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.loom.envelope.CommandChannel;
import org.loom.envelope.RunningEnvelopeServiceWithChannel;
import org.loom.envelope.TestEnvelopes;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import tools.jackson.databind.node.ObjectNode;

/**
 * Commands polled together are decided in shared transactions; a refused command among them must not cost the others
 * anything, nor change what anyone is answered. The listener is paused while the commands are published, so that
 * they reach it in one poll.
 */
class CommandChunksTest extends RunningEnvelopeServiceWithChannel {

    private static final String ALICE = "loom://alice@node.test";
    private static final String BOB = "loom://bob@node.test";
    private static final String MALLORY = "loom://mallory@node.test";

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    @Autowired
    private JdbcTemplate jdbc;

    private final TestEnvelopes envelopes = new TestEnvelopes();

    @Test
    void refusalsAmongCommandsPolledTogetherAreAnsweredAsIfEachCameAlone() {
        String threadId = TestEnvelopes.newThreadId();
        Instant start = Instant.now();
        String openerId = TestEnvelopes.newEnvelopeId();
        String replyId = TestEnvelopes.newEnvelopeId();
        List<SubmitEnvelopeCommand> commands = List.of(
                command(envelopes.message(openerId, threadId, null, ALICE, start, BOB), ALICE),
                command(envelopes.message(replyId, threadId, openerId, BOB, start.plusSeconds(1), ALICE), BOB),
                // Not a participant: refused.
                command(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, openerId, MALLORY,
                        start.plusSeconds(2), ALICE), MALLORY),
                command(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, replyId, ALICE,
                        start.plusSeconds(3), BOB), ALICE),
                // The reply's id again: refused as a duplicate.
                command(envelopes.message(replyId, threadId, openerId, BOB, start.plusSeconds(4), ALICE), BOB),
                command(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, replyId, BOB,
                        start.plusSeconds(5), ALICE), BOB));

        List<CommandResult> replies = publishTogether(commands);

        assertThat(replies).extracting(CommandResult::status).containsExactly(201, 201,
                ErrorCode.CAPABILITY_DENIED.httpStatus(), 201, ErrorCode.ENVELOPE_DUPLICATE.httpStatus(), 201);
        assertThat(replies.get(2).errorCode()).isEqualTo(ErrorCode.CAPABILITY_DENIED);
        assertThat(replies.get(4).errorCode()).isEqualTo(ErrorCode.ENVELOPE_DUPLICATE);
        assertThat(replies).filteredOn(reply -> reply.status() == 201)
                .extracting(reply -> reply.body().at("/meta/event_seq").asLong()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(jdbc.queryForList("SELECT event_seq FROM envelope WHERE thread_id = ? ORDER BY event_seq",
                Long.class, threadId)).containsExactly(1L, 2L, 3L, 4L);
        for (SubmitEnvelopeCommand command : commands) {
            assertThat(channel.repliesTo(command.correlationId())).as("replies to %s", command.correlationId())
                    .hasSize(1);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM processed_message WHERE message_id = ?",
                    Long.class, command.messageId())).isEqualTo(1L);
        }
    }

    @Test
    void commandsPolledTogetherAreAllStoredInOrderAndAnnounced() {
        String threadId = TestEnvelopes.newThreadId();
        Instant start = Instant.now();
        List<SubmitEnvelopeCommand> commands = new ArrayList<>();
        String parent = null;
        for (int i = 0; i < 120; i++) {
            String id = TestEnvelopes.newEnvelopeId();
            String from = i % 2 == 0 ? ALICE : BOB;
            commands.add(command(envelopes.message(id, threadId, parent, from, start.plusMillis(i),
                    from.equals(ALICE) ? BOB : ALICE), from));
            parent = id;
        }

        List<CommandResult> replies = publishTogether(commands);

        assertThat(replies).extracting(CommandResult::status).containsOnly(201);
        assertThat(replies).extracting(reply -> reply.body().at("/meta/event_seq").asLong())
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 120).boxed().toList());
        // One thread, so one partition of the events topic: once the last event is read, so are the others.
        channel.awaitEvent(commands.get(commands.size() - 1).envelope().path("id").stringValue());
        for (SubmitEnvelopeCommand command : commands) {
            assertThat(channel.eventsFor(command.envelope().path("id").stringValue())).hasSize(1);
        }
    }

    private static SubmitEnvelopeCommand command(ObjectNode envelope, String actor) {
        return CommandChannel.commandFor(envelope, actor);
    }

    /** Publishes the commands while the listener is paused, resumes it, and returns the replies in command order. */
    private List<CommandResult> publishTogether(List<SubmitEnvelopeCommand> commands) {
        MessageListenerContainer container = listeners.getListenerContainer(EnvelopeCommandListener.LISTENER_ID);
        container.pause();
        await().atMost(Duration.ofSeconds(30)).until(container::isPauseRequested);
        await().atMost(Duration.ofSeconds(30)).until(container::isContainerPaused);
        try {
            commands.forEach(channel::send);
        } finally {
            container.resume();
        }
        // The replies share one partition and leave in the order the commands were decided.
        channel.awaitReply(commands.get(commands.size() - 1).correlationId());
        return commands.stream().map(command -> channel.repliesTo(command.correlationId()).stream().findFirst()
                .orElseGet(() -> channel.awaitReply(command.correlationId()))).toList();
    }
}
