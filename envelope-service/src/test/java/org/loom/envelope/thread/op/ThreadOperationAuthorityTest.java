package org.loom.envelope.thread.op;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.loom.envelope.CommandChannel;
import org.loom.envelope.CommandChannelTest;
import org.loom.envelope.TestEnvelopes;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.AuthorityCommand;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.protocol.thread.ThreadOpIntent;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every required thread operation (spec §11.2), performed by each kind of actor: the owner and the holder of a token
 * with the intent's grant succeed and the operation takes effect; the holder of a token with another grant, the
 * holder of a token from before a revocation (an older epoch) and an outsider without a token are refused, and nothing
 * is stored.
 */
class ThreadOperationAuthorityTest extends CommandChannelTest {

    static final String ALICE = "loom://alice@node.test";
    static final String BOB = "loom://bob@node.test";
    static final String CAROL = "loom://carol@node.test";
    static final String DAVE = "loom://dave@node.test";
    static final String ERIN = "loom://erin@node.test";
    static final String FRANK = "loom://frank@node.test";
    static final String MALLORY = "loom://mallory@node.test";

    /** The kinds of actor each operation is tried with. */
    enum Actor {
        OWNER(ALICE), HOLDER(BOB), WRONG_GRANT(CAROL), REVOKED_HOLDER(DAVE), OUTSIDER(MALLORY);

        final String identity;

        Actor(String identity) {
            this.identity = identity;
        }
    }

    /** The eleven intents spec §11.2 requires. */
    static final List<ThreadOpIntent> REQUIRED = List.of(ThreadOpIntent.ADD_PARTICIPANT,
            ThreadOpIntent.REMOVE_PARTICIPANT, ThreadOpIntent.UPDATE, ThreadOpIntent.RESOLVE, ThreadOpIntent.ARCHIVE,
            ThreadOpIntent.LOCK, ThreadOpIntent.REOPEN, ThreadOpIntent.DELEGATE, ThreadOpIntent.FORK,
            ThreadOpIntent.MERGE, ThreadOpIntent.LINK);

    private final Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    static Stream<Arguments> intentsByActor() {
        List<Arguments> cases = new ArrayList<>();
        for (ThreadOpIntent intent : REQUIRED) {
            for (Actor actor : Actor.values()) {
                cases.add(Arguments.of(intent, actor));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("intentsByActor")
    void onlyOwnersAndHoldersOfTheIntentsGrantMayPerformIt(ThreadOpIntent intent, Actor actor) {
        Scene scene = prepare(intent);
        ObjectNode parameters = parameters(intent, scene);
        String token = scene.tokens.get(actor);
        if (token != null) {
            parameters.put("capability_token", token);
        }
        long seqBefore = eventSeq(scene.threadId);

        CommandResult reply = channel.submit(CommandChannel.commandFor(envelopes.threadOp(scene.threadId,
                actor.identity, intent.wireName(), parameters, start.plusSeconds(30), ALICE), actor.identity));

        switch (actor) {
            case OWNER, HOLDER -> {
                assertThat(reply.status()).as(reply.body().toString()).isEqualTo(201);
                assertTookEffect(intent, scene, parameters);
            }
            case WRONG_GRANT -> assertDenied(reply, "Capability token grant missing for operation");
            case REVOKED_HOLDER -> assertDenied(reply, "Capability token epoch mismatch");
            case OUTSIDER -> assertDenied(reply, "Capability token required for thread operation");
        }
        if (actor != Actor.OWNER && actor != Actor.HOLDER) {
            assertThat(eventSeq(scene.threadId)).isEqualTo(seqBefore);
        }
    }

    /**
     * A thread owned by Alice with Bob, Carol, Dave and Erin in it, in the state the intent needs; Dave holds a token
     * with the intent's grant from before a revocation, Bob holds one issued after it, Carol one with the
     * {@code reply} grant only.
     */
    private Scene prepare(ThreadOpIntent intent) {
        // Commands for one thread are decided in the order they were published, so the set-up is sent in batches and
        // only the last reply of each batch is awaited.
        String threadId = TestEnvelopes.newThreadId();
        List<String> batch = new ArrayList<>();
        batch.add(send(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, start, BOB, CAROL,
                DAVE, ERIN), ALICE));
        String linkTarget = null;
        switch (intent) {
            case ARCHIVE, REOPEN -> batch.add(send(envelopes.threadOp(threadId, ALICE, "thread.resolve@v1", null,
                    start.plusSeconds(1), BOB), ALICE));
            case MERGE -> {
                String forkId = TestEnvelopes.newThreadId();
                ObjectNode fork = LoomJson.mapper().createObjectNode().put("fork_thread_id", forkId);
                batch.add(send(envelopes.threadOp(threadId, ALICE, "thread.fork@v1", fork, start.plusSeconds(1), BOB),
                        ALICE));
                awaitAll(batch);
                batch.clear();
                awaitThread(forkId);
                linkTarget = threadId;
                threadId = forkId;
            }
            case LINK -> {
                linkTarget = TestEnvelopes.newThreadId();
                batch.add(send(envelopes.message(TestEnvelopes.newEnvelopeId(), linkTarget, null, ALICE, start, BOB,
                        CAROL, DAVE, ERIN), ALICE));
            }
            default -> {
            }
        }
        String grant = intent.requiredGrant();
        String daveIssue = issue(threadId, DAVE, grant);
        String erinIssue = issue(threadId, ERIN, grant);
        batch.add(daveIssue);
        batch.add(erinIssue);
        awaitAll(batch);
        String daveToken = tokenId(daveIssue);
        String erinToken = tokenId(erinIssue);

        AuthorityCommand revoke = CommandChannel.authority(ALICE, AuthorityCommand.CAPABILITY_REVOKE, erinToken, null);
        channel.send(revoke, threadId);
        String bobIssue = issue(threadId, BOB, grant);
        String carolIssue = issue(threadId, CAROL, "reply");
        awaitAll(List.of(revoke.correlationId(), bobIssue, carolIssue));
        return new Scene(threadId, linkTarget, Map.of(Actor.HOLDER, tokenId(bobIssue), Actor.WRONG_GRANT,
                tokenId(carolIssue), Actor.REVOKED_HOLDER, daveToken));
    }

    private static ObjectNode parameters(ThreadOpIntent intent, Scene scene) {
        ObjectNode parameters = LoomJson.mapper().createObjectNode();
        switch (intent) {
            case ADD_PARTICIPANT -> parameters.put("identity", FRANK);
            case REMOVE_PARTICIPANT, DELEGATE -> parameters.put("identity", ERIN);
            case UPDATE -> parameters.put("subject", "Quarterly numbers");
            case FORK -> parameters.put("fork_thread_id", TestEnvelopes.newThreadId());
            case LINK -> parameters.put("thread_id", scene.linkTarget).put("relation", "blocks");
            default -> {
            }
        }
        return parameters;
    }

    private void assertTookEffect(ThreadOpIntent intent, Scene scene, ObjectNode parameters) {
        String threadId = scene.threadId;
        switch (intent) {
            case ADD_PARTICIPANT -> assertThat(participant(threadId, FRANK))
                    .containsEntry("role", "participant").containsEntry("left_at", null);
            case REMOVE_PARTICIPANT -> assertThat(participant(threadId, ERIN).get("left_at")).isNotNull();
            case UPDATE -> assertThat(threadColumn(threadId, "subject")).isEqualTo("Quarterly numbers");
            case RESOLVE -> assertThat(threadColumn(threadId, "state")).isEqualTo("resolved");
            case ARCHIVE -> assertThat(threadColumn(threadId, "state")).isEqualTo("archived");
            case LOCK -> assertThat(threadColumn(threadId, "state")).isEqualTo("locked");
            case REOPEN -> assertThat(threadColumn(threadId, "state")).isEqualTo("active");
            case DELEGATE -> {
                assertThat(participant(threadId, ERIN)).containsEntry("role", "owner");
                assertThat(participant(threadId, ALICE)).containsEntry("role", "participant");
            }
            case FORK -> {
                String forkId = parameters.get("fork_thread_id").stringValue();
                assertThat(jdbc.queryForObject("SELECT state FROM thread_fork WHERE thread_id = ? AND fork_id = ?",
                        String.class, threadId, forkId)).isEqualTo("active");
                awaitThread(forkId);
                assertThat(jdbc.queryForObject("SELECT relation FROM thread_link WHERE thread_id = ?"
                        + " AND linked_thread_id = ?", String.class, forkId, threadId)).isEqualTo("parent");
            }
            case MERGE -> {
                assertThat(threadColumn(threadId, "state")).isEqualTo("merged");
                await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                        "SELECT COUNT(*) FROM thread_link WHERE thread_id = ? AND linked_thread_id = ?"
                                + " AND relation = 'merged_from'", Long.class, scene.linkTarget, threadId) == 1);
                assertThat(jdbc.queryForObject("SELECT state FROM thread_fork WHERE thread_id = ? AND fork_id = ?",
                        String.class, scene.linkTarget, threadId)).isEqualTo("merged");
            }
            case LINK -> {
                assertThat(jdbc.queryForObject("SELECT relation FROM thread_link WHERE thread_id = ?"
                        + " AND linked_thread_id = ?", String.class, threadId, scene.linkTarget)).isEqualTo("blocks");
                await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                        "SELECT COUNT(*) FROM thread_link WHERE thread_id = ? AND linked_thread_id = ?"
                                + " AND relation = 'blocked_by'", Long.class, scene.linkTarget, threadId) == 1);
            }
            default -> throw new IllegalArgumentException("no effect check for " + intent);
        }
    }

    /** Sends a capability issue command from Alice; returns its correlation id. */
    private String issue(String threadId, String to, String grant) {
        ObjectNode body = LoomJson.mapper().createObjectNode();
        body.put("thread_id", threadId);
        body.put("issued_to", to);
        body.putArray("grants").add(grant);
        AuthorityCommand command = CommandChannel.authority(ALICE, AuthorityCommand.CAPABILITY_ISSUE, null, body);
        channel.send(command, threadId);
        return command.correlationId();
    }

    private String tokenId(String issueCorrelation) {
        return channel.awaitReply(issueCorrelation).body().get("id").stringValue();
    }

    /** Sends an envelope command; returns its correlation id. */
    private String send(ObjectNode envelope, String actor) {
        SubmitEnvelopeCommand command = CommandChannel.commandFor(envelope, actor);
        channel.send(command);
        return command.correlationId();
    }

    private void awaitAll(List<String> correlationIds) {
        for (String correlationId : correlationIds) {
            CommandResult reply = channel.awaitReply(correlationId);
            assertThat(reply.status()).as(reply.body().toString()).isBetween(200, 201);
        }
    }

    private void awaitThread(String threadId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM thread WHERE id = ? AND event_seq_counter > 0", Long.class, threadId) == 1);
    }

    private static void assertDenied(CommandResult reply, String message) {
        assertThat(reply.errorCode()).isEqualTo(ErrorCode.CAPABILITY_DENIED);
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.body().get("message").stringValue()).isEqualTo(message);
    }

    private long eventSeq(String threadId) {
        return jdbc.queryForObject("SELECT event_seq_counter FROM thread WHERE id = ?", Long.class, threadId);
    }

    private String threadColumn(String threadId, String column) {
        return jdbc.queryForObject("SELECT " + column + " FROM thread WHERE id = ?", String.class, threadId);
    }

    private Map<String, Object> participant(String threadId, String identity) {
        return jdbc.queryForMap("SELECT role, left_at FROM thread_participant WHERE thread_id = ? AND identity = ?",
                threadId, identity);
    }

    private record Scene(String threadId, String linkTarget, Map<Actor, String> tokens) {
    }
}
