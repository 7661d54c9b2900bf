package org.loom.envelope.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.loom.envelope.CommandChannel;
import org.loom.envelope.RunningEnvelopeServiceWithChannel;
import org.loom.envelope.TestEnvelopes;
import org.loom.envelope.node.NodeKey;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.protocol.receipt.NodeReceipts;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.time.Timestamps;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Receipts written as the node itself: taken only on the node's receipt route and only when the node key signed them;
 * anything else claiming the node identity is refused.
 */
class NodeReceiptIngestTest extends RunningEnvelopeServiceWithChannel {

    private static final String ALICE = "loom://alice@node.test";
    private static final String BOB = "loom://bob@remote.test";

    @Autowired
    private NodeKey nodeKey;

    @Autowired
    private JdbcTemplate jdbc;

    private final TestEnvelopes envelopes = new TestEnvelopes();
    private final Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void aNodeSignedReceiptJoinsTheSendersThreadWithoutTheNodeBecomingAParticipant() {
        String threadId = TestEnvelopes.newThreadId();
        String sentId = TestEnvelopes.newEnvelopeId();
        channel.submit(CommandChannel.commandFor(envelopes.message(sentId, threadId, null, ALICE, start, BOB), ALICE));

        CommandResult stored = channel.submit(receiptCommand(receipt(threadId, sentId, nodeKey.key(),
                nodeKey.keyId())));

        assertThat(stored.status()).isEqualTo(201);
        assertThat(stored.body().at("/from/identity").stringValue()).isEqualTo(nodeKey.identity());
        assertThat(stored.body().at("/content/structured/intent").stringValue()).isEqualTo(NodeReceipts.DELIVERED);
        assertThat(stored.body().get("parent_id").stringValue()).isEqualTo(sentId);
        assertThat(jdbc.queryForList("SELECT identity FROM thread_participant WHERE thread_id = ? ORDER BY ordinal",
                String.class, threadId)).containsExactly(ALICE, BOB);
    }

    @Test
    void theSameReceiptSubmittedAgainIsADuplicateAndStoredOnce() {
        String threadId = TestEnvelopes.newThreadId();
        String sentId = TestEnvelopes.newEnvelopeId();
        channel.submit(CommandChannel.commandFor(envelopes.message(sentId, threadId, null, ALICE, start, BOB), ALICE));
        ObjectNode receipt = receipt(threadId, sentId, nodeKey.key(), nodeKey.keyId());

        channel.submit(receiptCommand(receipt));
        CommandResult again = channel.submit(receiptCommand(receipt));

        assertThat(again.errorCode()).isEqualTo(ErrorCode.ENVELOPE_DUPLICATE);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM envelope WHERE thread_id = ? AND type = 'receipt'",
                Long.class, threadId)).isEqualTo(1L);
    }

    @Test
    void theNodeIdentityCannotWriteThroughTheClientRoute() {
        String threadId = TestEnvelopes.newThreadId();
        String sentId = TestEnvelopes.newEnvelopeId();
        channel.submit(CommandChannel.commandFor(envelopes.message(sentId, threadId, null, ALICE, start, BOB), ALICE));
        ObjectNode receipt = receipt(threadId, sentId, nodeKey.key(), nodeKey.keyId());

        CommandResult refused = channel.submit(new SubmitEnvelopeCommand("msg_" + UUID.randomUUID(),
                "cor_" + UUID.randomUUID(), nodeKey.identity(), "service", nodeKey.keyId(), receipt, Instant.now(),
                "/v1/envelopes"));

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.CAPABILITY_DENIED);
        assertThat(stored(receipt)).isZero();
    }

    @Test
    void aReceiptOnTheNodeRouteSignedWithAnotherKeyIsRefused() {
        String threadId = TestEnvelopes.newThreadId();
        String sentId = TestEnvelopes.newEnvelopeId();
        channel.submit(CommandChannel.commandFor(envelopes.message(sentId, threadId, null, ALICE, start, BOB), ALICE));
        ObjectNode forged = receipt(threadId, sentId, SigningKey.generate(), nodeKey.keyId());

        CommandResult refused = channel.submit(receiptCommand(forged));

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.SIGNATURE_INVALID);
        assertThat(stored(forged)).isZero();
    }

    @Test
    void anotherIdentityOnTheNodeRouteIsRefused() {
        String threadId = TestEnvelopes.newThreadId();
        String sentId = TestEnvelopes.newEnvelopeId();
        channel.submit(CommandChannel.commandFor(envelopes.message(sentId, threadId, null, ALICE, start, BOB), ALICE));
        ObjectNode fromAlice = envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, sentId, ALICE,
                start.plusSeconds(1), BOB);

        CommandResult refused = channel.submit(new SubmitEnvelopeCommand("msg_" + UUID.randomUUID(),
                "cor_" + UUID.randomUUID(), ALICE, "human", TestEnvelopes.keyIdOf(ALICE), fromAlice, Instant.now(),
                NodeReceipts.SUBMIT_ROUTE));

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.CAPABILITY_DENIED);
        assertThat(stored(fromAlice)).isZero();
    }

    @Test
    void aReceiptForAThreadTheNodeDoesNotHoldIsNotFound() {
        ObjectNode receipt = receipt(TestEnvelopes.newThreadId(), TestEnvelopes.newEnvelopeId(), nodeKey.key(),
                nodeKey.keyId());

        CommandResult refused = channel.submit(receiptCommand(receipt));

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.THREAD_NOT_FOUND);
    }

    private long stored(JsonNode envelope) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM envelope WHERE id = ?", Long.class,
                envelope.get("id").stringValue());
    }

    private SubmitEnvelopeCommand receiptCommand(JsonNode receipt) {
        return new SubmitEnvelopeCommand("msg_" + UUID.randomUUID(), "cor_" + UUID.randomUUID(), nodeKey.identity(),
                "service", nodeKey.keyId(), receipt, Instant.now(), NodeReceipts.SUBMIT_ROUTE);
    }

    private ObjectNode receipt(String threadId, String parentId, SigningKey key, String keyId) {
        ObjectNode envelope = LoomJson.mapper().createObjectNode();
        envelope.put("loom", "1.1");
        envelope.put("id", TestEnvelopes.newEnvelopeId());
        envelope.put("thread_id", threadId);
        envelope.put("parent_id", parentId);
        envelope.put("type", "receipt");
        envelope.putObject("from").put("identity", nodeKey.identity()).put("key_id", keyId).put("type", "service");
        envelope.putArray("to").addObject().put("identity", ALICE).put("role", "primary");
        envelope.put("created_at", Timestamps.format(start.plusSeconds(1)));
        ObjectNode structured = envelope.putObject("content").putObject("structured");
        structured.put("intent", NodeReceipts.DELIVERED);
        structured.putObject("parameters").put("recipient_node", "remote.test").putArray("envelope_ids").add(parentId);
        return EnvelopeSignatures.sign(envelope, key, keyId);
    }
}
