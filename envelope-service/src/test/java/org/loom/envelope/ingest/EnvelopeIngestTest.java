package org.loom.envelope.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.loom.envelope.CommandChannel;
import org.loom.envelope.RunningEnvelopeServiceWithChannel;
import org.loom.envelope.TestEnvelopes;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.EnvelopeAccepted;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.protocol.time.Timestamps;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The write path driven as the gateway drives it: commands over the real broker, decisions in PostgreSQL, replies
 * and events back through the outbox relay.
 */
class EnvelopeIngestTest extends RunningEnvelopeServiceWithChannel {

    private static final String ALICE = "loom://alice@node.test";
    private static final String BOB = "loom://bob@node.test";
    private static final String CAROL = "loom://carol@node.test";
    private static final String MALLORY = "loom://mallory@node.test";

    @Autowired
    private JdbcTemplate jdbc;

    private final TestEnvelopes envelopes = new TestEnvelopes();
    private final Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void firstEnvelopeCreatesTheThreadWithSenderAsOwnerAndRecipientsAsParticipants() {
        String threadId = TestEnvelopes.newThreadId();
        ObjectNode first = envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, start, BOB, CAROL,
                BOB);

        CommandResult reply = submit(first, ALICE);

        assertThat(reply.status()).isEqualTo(201);
        assertThat(jdbc.queryForList("SELECT identity, role, joined_at, left_at FROM thread_participant"
                + " WHERE thread_id = ? ORDER BY ordinal", threadId)).extracting(Object::toString).containsExactly(
                "{identity=" + ALICE + ", role=owner, joined_at=" + Timestamps.format(start) + ", left_at=null}",
                "{identity=" + BOB + ", role=participant, joined_at=" + Timestamps.format(start) + ", left_at=null}",
                "{identity=" + CAROL + ", role=participant, joined_at=" + Timestamps.format(start)
                        + ", left_at=null}");
        assertThat(jdbc.queryForMap("SELECT root_envelope_id, state, created_at, event_seq_counter FROM thread"
                + " WHERE id = ?", threadId)).containsEntry("root_envelope_id", first.get("id").stringValue())
                .containsEntry("state", "active")
                .containsEntry("created_at", Timestamps.format(start))
                .containsEntry("event_seq_counter", 1L);
    }

    @Test
    void storedEnvelopeIsTheSentOneWithMetaAppendedInNodeKeyOrder() {
        String threadId = TestEnvelopes.newThreadId();
        ObjectNode sent = envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, start, BOB);
        Instant before = Instant.now();

        CommandResult reply = submit(sent, ALICE);

        JsonNode stored = reply.body();
        List<String> sentKeys = List.copyOf(sent.propertyNames());
        assertThat(List.copyOf(stored.propertyNames())).containsExactlyElementsOf(concat(sentKeys, "meta"));
        ObjectNode withoutMeta = ((ObjectNode) stored.deepCopy());
        withoutMeta.remove("meta");
        assertThat(withoutMeta).isEqualTo(sent);
        JsonNode meta = stored.get("meta");
        assertThat(List.copyOf(meta.propertyNames()))
                .containsExactly("node_id", "received_at", "event_seq", "origin_event_seq", "pending_parent");
        assertThat(meta.get("node_id").stringValue()).isEqualTo(NODE_ID);
        Instant receivedAt = Timestamps.parse(meta.get("received_at").stringValue()).orElseThrow();
        assertThat(meta.get("received_at").stringValue()).isEqualTo(Timestamps.format(receivedAt));
        assertThat(receivedAt).isBetween(before.truncatedTo(ChronoUnit.MILLIS), Instant.now());
        assertThat(meta.get("event_seq").asLong()).isEqualTo(1);
        assertThat(meta.get("origin_event_seq").asLong()).isEqualTo(1);
        assertThat(meta.get("pending_parent").asBoolean()).isFalse();
        assertThat(jdbc.queryForObject("SELECT json FROM envelope WHERE id = ?", String.class, sent.get("id")
                .stringValue())).isEqualTo(LoomJson.write(stored));
    }

    @Test
    void senderMetaKeepsItsPlaceAndKeysWhileNodeKeysAreAddedAfterIt() {
        String threadId = TestEnvelopes.newThreadId();
        ObjectNode sent = envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, start, BOB);
        ObjectNode unsignedWithMeta = LoomJson.mapper().createObjectNode();
        sent.properties().forEach(member -> {
            unsignedWithMeta.set(member.getKey(), member.getValue());
            if (member.getKey().equals("thread_id")) {
                ObjectNode meta = unsignedWithMeta.putObject("meta");
                meta.put("custom", "kept");
                meta.put("event_seq", 99);
                meta.put("origin_event_seq", 41);
                meta.put("node_id", "someone-else");
            }
        });

        JsonNode meta = submit(unsignedWithMeta, ALICE).body().get("meta");

        assertThat(List.copyOf(meta.propertyNames())).containsExactly(
                "custom", "event_seq", "origin_event_seq", "node_id", "received_at", "pending_parent");
        assertThat(meta.get("custom").stringValue()).isEqualTo("kept");
        assertThat(meta.get("event_seq").asLong()).isEqualTo(1);
        assertThat(meta.get("origin_event_seq").asLong()).isEqualTo(41);
        assertThat(meta.get("node_id").stringValue()).isEqualTo(NODE_ID);
    }

    @Test
    void eventSequenceCountsEveryEnvelopeOfTheThreadFromOne() {
        String threadId = TestEnvelopes.newThreadId();
        String rootId = TestEnvelopes.newEnvelopeId();

        CommandResult first = submit(envelopes.message(rootId, threadId, null, ALICE, start, BOB), ALICE);
        CommandResult second = submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, rootId, BOB,
                start.plusSeconds(1), ALICE), BOB);
        CommandResult third = submit(envelopes.threadOp(threadId, ALICE, "thread.resolve@v1", null,
                start.plusSeconds(2), BOB), ALICE);

        assertThat(List.of(first, second, third)).extracting(reply -> reply.body().at("/meta/event_seq").asLong())
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void duplicateEnvelopeIdIsRefusedWithConflict() {
        String threadId = TestEnvelopes.newThreadId();
        ObjectNode envelope = envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, start, BOB);
        submit(envelope, ALICE);

        CommandResult again = submit(envelope, ALICE);

        assertRefused(again, ErrorCode.ENVELOPE_DUPLICATE, "Envelope already exists: " + envelope.get("id")
                .stringValue(), "{\"envelope_id\":\"" + envelope.get("id").stringValue() + "\"}");
        assertThat(jdbc.queryForObject("SELECT event_seq_counter FROM thread WHERE id = ?", Long.class, threadId))
                .isEqualTo(1L);
    }

    @Test
    void envelopeWhoseParentIsUnknownIsAcceptedAsPendingParent() {
        String threadId = TestEnvelopes.newThreadId();
        String missingParent = TestEnvelopes.newEnvelopeId();

        CommandResult reply = submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, missingParent, ALICE,
                start, BOB), ALICE);

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.body().at("/meta/pending_parent").asBoolean()).isTrue();
        assertThat(jdbc.queryForObject("SELECT root_envelope_id FROM thread WHERE id = ?", String.class, threadId))
                .isNull();
    }

    @Test
    void parentInAnotherThreadIsNotPending() {
        String otherThread = TestEnvelopes.newThreadId();
        String parentElsewhere = TestEnvelopes.newEnvelopeId();
        submit(envelopes.message(parentElsewhere, otherThread, null, ALICE, start, BOB), ALICE);

        CommandResult reply = submit(envelopes.message(TestEnvelopes.newEnvelopeId(), TestEnvelopes.newThreadId(),
                parentElsewhere, ALICE, start, BOB), ALICE);

        assertThat(reply.body().at("/meta/pending_parent").asBoolean()).isFalse();
    }

    @Test
    void parentArrivingAfterItsChildAndNamingItAsParentIsRefusedAsCycleWithNothingStored() {
        String threadId = TestEnvelopes.newThreadId();
        String a = TestEnvelopes.newEnvelopeId();
        String b = TestEnvelopes.newEnvelopeId();
        submit(envelopes.message(a, threadId, b, ALICE, start, BOB), ALICE);

        CommandResult cycle = submit(envelopes.message(b, threadId, a, ALICE, start.plusSeconds(1), BOB), ALICE);

        assertRefused(cycle, ErrorCode.ENVELOPE_INVALID, "Thread DAG contains a cycle",
                "{\"thread_id\":\"" + threadId + "\",\"envelope_id\":\"" + b + "\"}");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM envelope WHERE id = ?", Long.class, b)).isZero();
        assertThat(jdbc.queryForObject("SELECT event_seq_counter FROM thread WHERE id = ?", Long.class, threadId))
                .isEqualTo(1L);
    }

    @Test
    void selfParentIsRefusedAsCycleAndCreatesNoThread() {
        String threadId = TestEnvelopes.newThreadId();
        String id = TestEnvelopes.newEnvelopeId();

        CommandResult cycle = submit(envelopes.message(id, threadId, id, ALICE, start, BOB), ALICE);

        assertThat(cycle.errorCode()).isEqualTo(ErrorCode.ENVELOPE_INVALID);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM thread WHERE id = ?", Long.class, threadId)).isZero();
    }

    @Test
    void lockedThreadRefusesMessagesEvenFromItsOwnerButAcceptsThreadOperations() {
        String threadId = TestEnvelopes.newThreadId();
        submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, start, BOB), ALICE);
        submit(envelopes.threadOp(threadId, ALICE, "thread.lock@v1", null, start.plusSeconds(1), BOB), ALICE);

        CommandResult refused = submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE,
                start.plusSeconds(2), BOB), ALICE);
        CommandResult reopened = submit(envelopes.threadOp(threadId, ALICE, "thread.reopen@v1", null,
                start.plusSeconds(3), BOB), ALICE);

        assertRefused(refused, ErrorCode.THREAD_LOCKED, "Thread is locked: " + threadId,
                "{\"thread_id\":\"" + threadId + "\"}");
        assertThat(reopened.status()).isEqualTo(201);
        assertThat(state(threadId)).isEqualTo("active");
    }

    @Test
    void senderWhoIsNotAnActiveParticipantIsRefused() {
        String threadId = TestEnvelopes.newThreadId();
        submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, start, BOB), ALICE);

        CommandResult refused = submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, MALLORY,
                start.plusSeconds(1), ALICE), MALLORY);

        assertRefused(refused, ErrorCode.CAPABILITY_DENIED, "Sender is not an active participant of the thread",
                "{\"thread_id\":\"" + threadId + "\",\"actor\":\"" + MALLORY + "\"}");
    }

    @Test
    void ownerMovesTheThreadThroughItsLifecycleAndAnInvalidTransitionIsAConflict() {
        String threadId = TestEnvelopes.newThreadId();
        submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, start, BOB), ALICE);

        submit(envelopes.threadOp(threadId, ALICE, "thread.resolve@v1", null, start.plusSeconds(1), BOB), ALICE);
        String resolved = state(threadId);
        submit(envelopes.threadOp(threadId, ALICE, "thread.archive@v1", null, start.plusSeconds(2), BOB), ALICE);
        String archived = state(threadId);
        CommandResult reopen = submit(envelopes.threadOp(threadId, ALICE, "thread.reopen@v1", null,
                start.plusSeconds(3), BOB), ALICE);

        assertThat(List.of(resolved, archived)).containsExactly("resolved", "archived");
        assertRefused(reopen, ErrorCode.STATE_TRANSITION_INVALID,
                "Cannot transition thread " + threadId + " from archived to active",
                "{\"thread_id\":\"" + threadId + "\",\"current_state\":\"archived\",\"next_state\":\"active\"}");
        assertThat(state(threadId)).isEqualTo("archived");
        assertThat(jdbc.queryForObject("SELECT event_seq_counter FROM thread WHERE id = ?", Long.class, threadId))
                .isEqualTo(3L);
    }

    @Test
    void ownerUpdatesSubjectAndLabels() {
        String threadId = TestEnvelopes.newThreadId();
        submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, start, BOB), ALICE);
        ObjectNode parameters = LoomJson.mapper().createObjectNode();
        parameters.put("subject", "Q1 invoices");
        parameters.putArray("labels").add(" finance ").add("").add("q1").add("finance");

        CommandResult reply = submit(envelopes.threadOp(threadId, ALICE, "thread.update@v1", parameters,
                start.plusSeconds(1), BOB), ALICE);

        assertThat(reply.status()).isEqualTo(201);
        assertThat(jdbc.queryForMap("SELECT subject, labels FROM thread WHERE id = ?", threadId))
                .containsEntry("subject", "Q1 invoices")
                .containsEntry("labels", "[\"finance\",\"q1\"]");
    }

    @Test
    void participantWhoIsNotOwnerNeedsACapabilityForThreadOperations() {
        String threadId = TestEnvelopes.newThreadId();
        submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, start, BOB), ALICE);

        CommandResult refused = submit(envelopes.threadOp(threadId, BOB, "thread.resolve@v1", null,
                start.plusSeconds(1), ALICE), BOB);

        assertRefused(refused, ErrorCode.CAPABILITY_DENIED, "Capability token required for thread operation",
                "{\"intent\":\"thread.resolve@v1\",\"actor\":\"" + BOB + "\"}");
        assertThat(state(threadId)).isEqualTo("active");
    }

    @Test
    void intentTheNodeDoesNotSupportIsInvalidForAnOwner() {
        String threadId = TestEnvelopes.newThreadId();
        submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, start, BOB), ALICE);

        CommandResult refused = submit(envelopes.threadOp(threadId, ALICE, "thread.fork@v2", null,
                start.plusSeconds(1), BOB), ALICE);

        assertRefused(refused, ErrorCode.ENVELOPE_INVALID, "Unsupported thread operation intent: thread.fork@v2",
                "{\"intent\":\"thread.fork@v2\"}");
    }

    @Test
    void threadOperationOnAMissingThreadIsNotFound() {
        String threadId = TestEnvelopes.newThreadId();

        CommandResult refused = submit(envelopes.threadOp(threadId, ALICE, "thread.resolve@v1", null, start, BOB),
                ALICE);

        assertRefused(refused, ErrorCode.THREAD_NOT_FOUND, "thread_op requires an existing thread: " + threadId,
                "{\"thread_id\":\"" + threadId + "\"}");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM thread WHERE id = ?", Long.class, threadId)).isZero();
    }

    @Test
    void redeliveredCommandHasNoSecondEffectNoSecondReplyAndNoSecondEvent() {
        String threadId = TestEnvelopes.newThreadId();
        ObjectNode envelope = envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, start, BOB);
        SubmitEnvelopeCommand command = CommandChannel.commandFor(envelope, ALICE);
        channel.submit(command);
        String envelopeId = envelope.get("id").stringValue();

        channel.send(command);
        // A later command on the same thread is decided after the redelivery (same key, same partition), and its
        // reply and event are relayed after anything the redelivery produced.
        ObjectNode later = envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, envelopeId, BOB,
                start.plusSeconds(1), ALICE);
        CommandResult laterReply = submit(later, BOB);
        channel.awaitEvent(later.get("id").stringValue());

        assertThat(laterReply.body().at("/meta/event_seq").asLong()).isEqualTo(2);
        assertThat(channel.repliesTo(command.correlationId())).hasSize(1);
        assertThat(channel.eventsFor(envelopeId)).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM envelope WHERE thread_id = ?", Long.class, threadId))
                .isEqualTo(2L);
    }

    @Test
    void acceptedEnvelopeIsPublishedOnceKeyedByThreadWithTheStoredEnvelope() {
        String threadId = TestEnvelopes.newThreadId();
        ObjectNode envelope = envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, start, BOB);
        CommandResult reply = submit(envelope, ALICE);

        ConsumerRecord<String, String> record = channel.awaitEvent(envelope.get("id").stringValue());

        assertThat(record.key()).isEqualTo(threadId);
        EnvelopeAccepted event = LoomJson.mapper().readValue(record.value(), EnvelopeAccepted.class);
        assertThat(event.threadId()).isEqualTo(threadId);
        assertThat(event.eventSeq()).isEqualTo(1);
        assertThat(event.envelope()).isEqualTo(reply.body());
        assertThat(CommandChannel.header(record, LoomHeaders.MESSAGE_ID)).contains(event.messageId());
        assertThat(CommandChannel.header(record, LoomHeaders.MESSAGE_TYPE))
                .contains(MessageType.ENVELOPE_ACCEPTED.wireName());
        assertThat(CommandChannel.header(record, LoomHeaders.ORIGIN)).contains("envelope-service");
    }

    @Test
    void mailTheBridgeFlagsIsQuarantinedForItsRecipientsAndSaysSoInItsMeta() {
        String threadId = TestEnvelopes.newThreadId();
        ObjectNode flagged = withMeta(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, start,
                BOB), "bridge", "quarantine");
        SubmitEnvelopeCommand fromBridge = CommandChannel.commandFor(flagged, ALICE);
        CommandResult reply = channel.submit(new SubmitEnvelopeCommand(fromBridge.messageId(),
                fromBridge.correlationId(), fromBridge.actor(), fromBridge.actorType(), fromBridge.keyId(), flagged,
                fromBridge.receivedAt(), "/v1/bridge/email/inbound"));

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.body().get("meta").get("quarantined").asBoolean()).isTrue();
        assertThat(mailbox(BOB, threadId)).containsExactly("sys.quarantine");
        assertThat(mailbox(ALICE, threadId)).containsExactly("sys.sent");
        assertThat(jdbc.queryForObject("SELECT labels FROM thread WHERE id = ?", String.class, threadId))
                .contains("sys.quarantine");
    }

    @Test
    void aQuarantineMarkFromAnyoneButTheBridgeRouteIsIgnoredAndAClaimedQuarantinedIsDropped() {
        String threadId = TestEnvelopes.newThreadId();
        ObjectNode claimed = withMeta(withMeta(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE,
                start, BOB), "bridge", "quarantine"), null, "quarantined");

        CommandResult reply = submit(claimed, ALICE);

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.body().get("meta").has("quarantined")).isFalse();
        assertThat(mailbox(BOB, threadId)).containsExactly("sys.inbox");
    }

    /** The envelope with {@code meta.<object>.<flag>: true} (or {@code meta.<flag>} when object is null). */
    private static ObjectNode withMeta(ObjectNode envelope, String object, String flag) {
        ObjectNode meta = envelope.has("meta") ? (ObjectNode) envelope.get("meta") : envelope.putObject("meta");
        (object == null ? meta : meta.has(object) ? (ObjectNode) meta.get(object) : meta.putObject(object))
                .put(flag, true);
        return envelope;
    }

    private List<String> mailbox(String identity, String threadId) {
        return jdbc.queryForList("SELECT label FROM mailbox_label WHERE identity = ? AND thread_id = ? ORDER BY label",
                String.class, identity, threadId);
    }

    private CommandResult submit(JsonNode envelope, String actor) {
        return channel.submit(CommandChannel.commandFor(envelope, actor));
    }

    private String state(String threadId) {
        return jdbc.queryForObject("SELECT state FROM thread WHERE id = ?", String.class, threadId);
    }

    private static void assertRefused(CommandResult reply, ErrorCode code, String message, String details) {
        assertThat(reply.errorCode()).isEqualTo(code);
        assertThat(reply.status()).isEqualTo(code.httpStatus());
        assertThat(reply.body().get("message").stringValue()).isEqualTo(message);
        assertThat(LoomJson.write(reply.body().get("details"))).isEqualTo(details);
    }

    private static List<String> concat(List<String> keys, String last) {
        return java.util.stream.Stream.concat(keys.stream(), java.util.stream.Stream.of(last)).toList();
    }
}
