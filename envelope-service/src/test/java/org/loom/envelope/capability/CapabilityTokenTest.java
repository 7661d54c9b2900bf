package org.loom.envelope.capability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.loom.envelope.CommandChannel;
import org.loom.envelope.CommandChannelTest;
import org.loom.envelope.TestEnvelopes;
import org.loom.envelope.node.NodeKey;
import org.loom.protocol.capability.CapabilityTokens;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.AuthorityCommand;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Capability tokens as issued, presented, spent and revoked: signed by the node and verifiable offline, presented by
 * id, as the signed token or in the {@code X-LOOM-Capability} header, spent by a single use and revoked with a
 * {@code capability.revoked@v1} operation recorded in the thread.
 */
class CapabilityTokenTest extends CommandChannelTest {

    private static final String ALICE = "loom://alice@node.test";
    private static final String BOB = "loom://bob@node.test";
    private static final String CAROL = "loom://carol@node.test";

    @Autowired
    private NodeKey nodeKey;

    private final Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void issuedTokenCarriesTheNodeSignatureAndTheThreadEpoch() {
        String threadId = thread();

        JsonNode issued = issue(threadId, BOB, false, "resolve").body();

        assertThat(issued.get("thread_id").stringValue()).isEqualTo(threadId);
        assertThat(issued.get("epoch").longValue()).isZero();
        assertThat(issued.get("revoked").booleanValue()).isFalse();
        JsonNode token = issued.get("token");
        assertThat(token.at("/signature/key_id").stringValue()).isEqualTo(nodeKey.keyId());
        assertThat(CapabilityTokens.verify(token, nodeKey.verifyingKey())).isTrue();
    }

    @Test
    void signedTokenInTheParametersAuthorisesItsHolder() {
        String threadId = thread();
        JsonNode token = issue(threadId, BOB, false, "resolve").body().get("token");
        ObjectNode parameters = LoomJson.mapper().createObjectNode();
        parameters.set("capability_token", token);

        CommandResult reply = op(threadId, BOB, "thread.resolve@v1", parameters, null);

        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(201);
    }

    @Test
    void tokenWhoseGrantsWereChangedAfterSigningIsRefused() {
        String threadId = thread();
        ObjectNode token = (ObjectNode) issue(threadId, BOB, false, "label").body().get("token");
        token.putArray("grants").add("admin");
        ObjectNode parameters = LoomJson.mapper().createObjectNode();
        parameters.set("capability_token", token);

        CommandResult reply = op(threadId, BOB, "thread.resolve@v1", parameters, null);

        assertThat(reply.errorCode()).isEqualTo(ErrorCode.CAPABILITY_DENIED);
        assertThat(reply.body().get("message").stringValue())
                .isEqualTo("Capability token signature verification failed");
    }

    @Test
    void tokenIdInTheCapabilityHeaderAuthorisesItsHolder() {
        String threadId = thread();
        String tokenId = issue(threadId, BOB, false, "lock").body().get("id").stringValue();

        CommandResult reply = op(threadId, BOB, "thread.lock@v1", null, tokenId);

        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(201);
    }

    @Test
    void tokenOfAnotherIdentityGrantsNothing() {
        String threadId = thread();
        String tokenId = issue(threadId, BOB, false, "resolve").body().get("id").stringValue();
        ObjectNode parameters = LoomJson.mapper().createObjectNode().put("capability_token", tokenId);

        CommandResult reply = op(threadId, CAROL, "thread.resolve@v1", parameters, null);

        assertThat(reply.body().get("message").stringValue())
                .isEqualTo("Capability token issued to different identity");
    }

    @Test
    void singleUseTokenIsSpentByItsFirstUseAndTheSpendIsRecordedInTheThread() {
        String threadId = thread();
        String tokenId = issue(threadId, BOB, true, "label").body().get("id").stringValue();
        ObjectNode parameters = LoomJson.mapper().createObjectNode().put("capability_token", tokenId)
                .put("subject", "Once");

        CommandResult first = op(threadId, BOB, "thread.update@v1", parameters, null);
        CommandResult second = op(threadId, BOB, "thread.update@v1", parameters, null);

        assertThat(first.status()).isEqualTo(201);
        assertThat(jdbc.queryForObject("SELECT spent FROM capability WHERE id = ?", Boolean.class, tokenId)).isTrue();
        JsonNode spentOp = lastEnvelope(threadId, first.body().at("/meta/event_seq").longValue() + 1);
        assertThat(spentOp.at("/content/structured/intent").stringValue()).isEqualTo("capability.spent@v1");
        assertThat(spentOp.at("/content/structured/parameters/capability_id").stringValue()).isEqualTo(tokenId);
        assertThat(spentOp.at("/from/identity").stringValue()).isEqualTo(nodeKey.identity());
        assertThat(EnvelopeSignatures.verify(spentOp, nodeKey.verifyingKey())).isTrue();
        assertThat(second.body().get("message").stringValue()).isEqualTo("Capability token not usable");
        assertThat(second.body().at("/details/reason").stringValue()).isEqualTo("spent");
    }

    @Test
    void revokingRaisesTheEpochAndIsRecordedAsACapabilityRevokedOperation() {
        String threadId = thread();
        String revokedId = issue(threadId, BOB, false, "resolve").body().get("id").stringValue();
        String otherId = issue(threadId, CAROL, false, "resolve").body().get("id").stringValue();

        CommandResult revoked = channel.submit(CommandChannel.authority(ALICE, AuthorityCommand.CAPABILITY_REVOKE,
                revokedId, null), ALICE);
        CommandResult again = channel.submit(CommandChannel.authority(ALICE, AuthorityCommand.CAPABILITY_REVOKE,
                revokedId, null), ALICE);
        CommandResult otherUse = op(threadId, CAROL, "thread.resolve@v1",
                LoomJson.mapper().createObjectNode().put("capability_token", otherId), null);

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body().get("revoked").booleanValue()).isTrue();
        assertThat(again.status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT cap_epoch FROM thread WHERE id = ?", Long.class, threadId))
                .isEqualTo(1L);
        JsonNode recorded = lastEnvelope(threadId, 2);
        assertThat(recorded.at("/content/structured/intent").stringValue()).isEqualTo("capability.revoked@v1");
        assertThat(recorded.at("/content/structured/parameters/capability_id").stringValue()).isEqualTo(revokedId);
        assertThat(EnvelopeSignatures.verify(recorded, nodeKey.verifyingKey())).isTrue();
        assertThat(jdbc.queryForObject("SELECT event_seq_counter FROM thread WHERE id = ?", Long.class, threadId))
                .as("a second revocation records nothing").isEqualTo(2L);
        assertThat(otherUse.body().get("message").stringValue()).isEqualTo("Capability token epoch mismatch");
    }

    @Test
    void ownerRevocationOperationRevokesTheTokenAndRaisesTheEpoch() {
        String threadId = thread();
        String tokenId = issue(threadId, BOB, false, "resolve").body().get("id").stringValue();

        CommandResult reply = op(threadId, ALICE, "capability.revoked@v1",
                LoomJson.mapper().createObjectNode().put("capability_id", tokenId), null);

        assertThat(reply.status()).isEqualTo(201);
        assertThat(jdbc.queryForObject("SELECT revoked FROM capability WHERE id = ?", Boolean.class, tokenId))
                .isTrue();
        assertThat(jdbc.queryForObject("SELECT cap_epoch FROM thread WHERE id = ?", Long.class, threadId))
                .isEqualTo(1L);
    }

    @Test
    void onlyAnOwnerIssuesAndOnlyTheIssuerOrAnOwnerRevokes() {
        String threadId = thread();
        ObjectNode body = LoomJson.mapper().createObjectNode().put("thread_id", threadId).put("issued_to", CAROL);
        body.putArray("grants").add("resolve");
        String tokenId = issue(threadId, BOB, false, "resolve").body().get("id").stringValue();

        CommandResult issuedByBob = channel.submit(CommandChannel.authority(BOB, AuthorityCommand.CAPABILITY_ISSUE,
                null, body), threadId);
        CommandResult revokedByCarol = channel.submit(CommandChannel.authority(CAROL,
                AuthorityCommand.CAPABILITY_REVOKE, tokenId, null), CAROL);
        CommandResult unknown = channel.submit(CommandChannel.authority(ALICE, AuthorityCommand.CAPABILITY_REVOKE,
                "cap_01JZZZZZZZZZZZZZZZZZZZZZZZ", null), ALICE);

        assertThat(issuedByBob.body().get("message").stringValue())
                .isEqualTo("Only thread owner can issue capability tokens");
        assertThat(revokedByCarol.errorCode()).isEqualTo(ErrorCode.CAPABILITY_DENIED);
        assertThat(unknown.body().get("message").stringValue())
                .isEqualTo("Capability token not found: cap_01JZZZZZZZZZZZZZZZZZZZZZZZ");
    }

    @Test
    void badIssueRequestsAreClientErrors() {
        String threadId = thread();
        ObjectNode noGrants = LoomJson.mapper().createObjectNode().put("thread_id", threadId).put("issued_to", BOB);
        noGrants.putArray("grants").add(" ");
        ObjectNode badIdentity = LoomJson.mapper().createObjectNode().put("thread_id", threadId)
                .put("issued_to", "bob");
        badIdentity.putArray("grants").add("resolve");
        ObjectNode unknownThread = badIdentity.deepCopy().put("thread_id", TestEnvelopes.newThreadId())
                .put("issued_to", BOB);

        for (ObjectNode body : List.of(noGrants, badIdentity)) {
            CommandResult reply = channel.submit(CommandChannel.authority(ALICE, AuthorityCommand.CAPABILITY_ISSUE,
                    null, body), threadId);
            assertThat(reply.errorCode()).as(body.toString()).isEqualTo(ErrorCode.ENVELOPE_INVALID);
        }
        assertThat(channel.submit(CommandChannel.authority(ALICE, AuthorityCommand.CAPABILITY_ISSUE, null,
                unknownThread), threadId).errorCode()).isEqualTo(ErrorCode.THREAD_NOT_FOUND);
    }

    @Test
    void unmetPreconditionsRefuseTheOperationAndMetOnesLetItThrough() {
        String threadId = thread();
        ObjectNode wrongState = LoomJson.mapper().createObjectNode();
        wrongState.putObject("preconditions").putArray("thread_state_in").add("resolved");
        ObjectNode wrongEpoch = LoomJson.mapper().createObjectNode();
        wrongEpoch.putObject("preconditions").put("cap_epoch", 3);
        ObjectNode met = LoomJson.mapper().createObjectNode();
        met.putObject("preconditions").put("cap_epoch", 0).putArray("thread_state_in").add("active");

        CommandResult stateRefused = op(threadId, ALICE, "thread.resolve@v1", wrongState, null);
        CommandResult epochRefused = op(threadId, ALICE, "thread.resolve@v1", wrongEpoch, null);
        CommandResult accepted = op(threadId, ALICE, "thread.resolve@v1", met, null);
        CommandResult stale = op(threadId, ALICE, "thread.lock@v1", met, null);

        assertThat(stateRefused.errorCode()).isEqualTo(ErrorCode.STATE_TRANSITION_INVALID);
        assertThat(stateRefused.body().at("/details/precondition").stringValue()).isEqualTo("thread_state_in");
        assertThat(epochRefused.body().at("/details/precondition").stringValue()).isEqualTo("cap_epoch");
        assertThat(accepted.status()).isEqualTo(201);
        assertThat(stale.errorCode()).as("written against the state before the resolve")
                .isEqualTo(ErrorCode.STATE_TRANSITION_INVALID);
    }

    private String thread() {
        String threadId = TestEnvelopes.newThreadId();
        CommandResult reply = channel.submit(CommandChannel.commandFor(envelopes.message(TestEnvelopes.newEnvelopeId(),
                threadId, null, ALICE, start, BOB, CAROL), ALICE));
        assertThat(reply.status()).isEqualTo(201);
        return threadId;
    }

    private CommandResult issue(String threadId, String to, boolean singleUse, String grant) {
        ObjectNode body = LoomJson.mapper().createObjectNode().put("thread_id", threadId).put("issued_to", to)
                .put("single_use", singleUse);
        body.putArray("grants").add(grant);
        CommandResult reply = channel.submit(CommandChannel.authority(ALICE, AuthorityCommand.CAPABILITY_ISSUE, null,
                body), threadId);
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(201);
        return reply;
    }

    private CommandResult op(String threadId, String actor, String intent, ObjectNode parameters, String header) {
        SubmitEnvelopeCommand command = CommandChannel.commandFor(envelopes.threadOp(threadId, actor, intent,
                parameters, start.plusSeconds(5), ALICE), actor);
        channel.send(command, header);
        return channel.awaitReply(command.correlationId());
    }

    private JsonNode lastEnvelope(String threadId, long eventSeq) {
        return LoomJson.parse(jdbc.queryForObject("SELECT json FROM envelope WHERE thread_id = ? AND event_seq = ?",
                String.class, threadId, eventSeq));
    }
}
