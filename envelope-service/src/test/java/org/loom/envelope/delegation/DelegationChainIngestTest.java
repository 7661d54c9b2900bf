package org.loom.envelope.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.loom.envelope.CommandChannel;
import org.loom.envelope.CommandChannelTest;
import org.loom.envelope.TestEnvelopes;
import org.loom.envelope.identity.IdentityView;
import org.loom.protocol.delegation.DelegationLinks;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.AuthorityCommand;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.IdentityChanged;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.protocol.time.Timestamps;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Agent envelopes are admitted only with a delegation chain that holds along its whole length (spec §13.2–13.3):
 * the chain is checked in the envelope-service, where revocations are recorded, against the identities' registered
 * keys.
 */
class DelegationChainIngestTest extends CommandChannelTest {

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String human = "loom://owner-" + suffix + "@node.test";
    private final String agent = "loom://agent-" + suffix + "@node.test";
    private final String subAgent = "loom://subagent-" + suffix + "@node.test";
    private final String peer = "loom://peer-" + suffix + "@node.test";

    @Autowired
    private IdentityView identities;

    @Autowired
    private TransactionTemplate transactions;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeAll
    void registerIdentities() {
        register(human, "human");
        register(agent, "agent");
        register(subAgent, "agent");
        register(peer, "human");
    }

    /** One chain per row: what it is, how it is built, and the refusal it gets (null when it is admitted). */
    Stream<Arguments> chains() {
        return Stream.of(
                row("valid single link", t -> chain(t.link(human, agent, List.of("message.*"), null, false, 0)), null),
                row("valid two links, narrowing", t -> chain(
                        t.link(human, agent, List.of("*"), null, true, 1),
                        t.link(agent, subAgent, List.of("message.*"), null, false, 0)), null),
                row("expired", t -> chain(t.link(human, agent, List.of("message.*"),
                        Timestamps.format(now.minusSeconds(60)), false, 0)), "Delegation link expired"),
                row("revoked", t -> chain(t.revoked(t.link(human, agent, List.of("message.*"), null, false, 0))),
                        "Delegation link has been revoked"),
                row("widened scope", t -> chain(
                        t.link(human, agent, List.of("message.general"), null, true, 1),
                        t.link(agent, subAgent, List.of("message.*"), null, false, 0)),
                        "Delegation scope escalation detected"),
                row("* below the root", t -> chain(
                        t.link(human, agent, List.of("*"), null, true, 1),
                        t.link(agent, subAgent, List.of("*"), null, false, 0)),
                        "Delegation scope \"*\" is only valid in the root link"),
                row("too deep", t -> chain(
                        t.link(human, agent, List.of("*"), null, true, 0),
                        t.link(agent, subAgent, List.of("message.*"), null, false, 0)),
                        "Delegation chain exceeds max_sub_delegation_depth"),
                row("tampered link", t -> chain(t.tampered(t.link(human, agent, List.of("message.general"), null,
                        false, 0))), "Delegation signature verification failed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chains")
    void agentEnvelopeIsAdmittedOnlyWithAChainThatHoldsThroughout(String name,
            Function<DelegationChainIngestTest, ArrayNode> build, String refusal) {
        ArrayNode chain = build.apply(this);
        String sender = chain.get(chain.size() - 1).get("delegate").stringValue();

        CommandResult reply = channel.submit(agentCommand(sender, chain));

        if (refusal == null) {
            assertThat(reply.status()).as(reply.body().toString()).isEqualTo(201);
        } else {
            assertThat(reply.errorCode()).isEqualTo(ErrorCode.DELEGATION_INVALID);
            assertThat(reply.body().get("message").stringValue()).isEqualTo(refusal);
        }
    }

    @Test
    void delegationIsRecordedListedAndRevokedOnlyByItsDelegator() {
        ObjectNode link = link(human, agent, List.of("task.*"), null, false, 0);

        CommandResult created = channel.submit(CommandChannel.authority(human, AuthorityCommand.DELEGATION_CREATE,
                null, link), human);
        CommandResult byOther = channel.submit(CommandChannel.authority(peer, AuthorityCommand.DELEGATION_REVOKE,
                link.get("id").stringValue(), null), peer);
        CommandResult revoked = channel.submit(CommandChannel.authority(human, AuthorityCommand.DELEGATION_REVOKE,
                link.get("id").stringValue(), null), human);
        CommandResult unknown = channel.submit(CommandChannel.authority(human, AuthorityCommand.DELEGATION_REVOKE,
                LoomIds.next(IdPrefix.DELEGATION), null), human);

        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        assertThat(created.body().get("revoked").booleanValue()).isFalse();
        assertThat(created.body().get("signature").stringValue()).isEqualTo(link.get("signature").stringValue());
        assertThat(byOther.errorCode()).isEqualTo(ErrorCode.DELEGATION_INVALID);
        assertThat(byOther.body().get("message").stringValue()).isEqualTo("Only the delegator can revoke a delegation");
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body().get("revoked").booleanValue()).isTrue();
        assertThat(unknown.errorCode()).isEqualTo(ErrorCode.DELEGATION_INVALID);
        assertThat(unknown.body().get("message").stringValue()).isEqualTo("Delegation not found");
    }

    @Test
    void delegationSignedByAnotherIdentityIsRefusedAtCreation() {
        ObjectNode link = link(human, agent, List.of("task.*"), null, false, 0);
        link.put("signature", DelegationLinks.sign(unsigned(link), envelopes.keyOf(peer)).get("signature")
                .stringValue());

        CommandResult reply = channel.submit(CommandChannel.authority(human, AuthorityCommand.DELEGATION_CREATE, null,
                link), human);

        assertThat(reply.errorCode()).isEqualTo(ErrorCode.DELEGATION_INVALID);
        assertThat(reply.body().get("message").stringValue()).isEqualTo("Delegation signature verification failed");
    }

    private static Arguments row(String name, Function<DelegationChainIngestTest, ArrayNode> build, String refusal) {
        return Arguments.of(name, build, refusal);
    }

    /** A signed link in the stored form, every field present, signed by the delegator's key. */
    ObjectNode link(String delegator, String delegate, List<String> scope, String expiresAt,
            boolean allowSubDelegation, int maxDepth) {
        ObjectNode link = LoomJson.mapper().createObjectNode();
        link.put("id", LoomIds.next(IdPrefix.DELEGATION));
        link.put("delegator", delegator);
        link.put("delegate", delegate);
        ArrayNode patterns = link.putArray("scope");
        scope.forEach(patterns::add);
        link.put("created_at", Timestamps.format(now.minusSeconds(600)));
        link.put("expires_at", expiresAt);
        link.put("revocable", true);
        link.put("allow_sub_delegation", allowSubDelegation);
        link.put("max_sub_delegation_depth", maxDepth);
        link.put("key_id", TestEnvelopes.keyIdOf(delegator));
        return DelegationLinks.sign(link, envelopes.keyOf(delegator));
    }

    /** Records the link with the node, then revokes it. */
    ObjectNode revoked(ObjectNode link) {
        String delegator = link.get("delegator").stringValue();
        assertThat(channel.submit(CommandChannel.authority(delegator, AuthorityCommand.DELEGATION_CREATE, null,
                link), delegator).status()).isEqualTo(201);
        assertThat(channel.submit(CommandChannel.authority(delegator, AuthorityCommand.DELEGATION_REVOKE,
                link.get("id").stringValue(), null), delegator).status()).isEqualTo(200);
        return link;
    }

    /** The link with its scope widened after it was signed. */
    ObjectNode tampered(ObjectNode link) {
        link.putArray("scope").add("*");
        return link;
    }

    static ArrayNode chain(ObjectNode... links) {
        ArrayNode chain = LoomJson.mapper().createArrayNode();
        for (ObjectNode link : links) {
            chain.add(link);
        }
        return chain;
    }

    private static ObjectNode unsigned(ObjectNode link) {
        ObjectNode copy = link.deepCopy();
        copy.remove("signature");
        return copy;
    }

    private SubmitEnvelopeCommand agentCommand(String sender, ArrayNode chain) {
        ObjectNode envelope = envelopes.message(TestEnvelopes.newEnvelopeId(), TestEnvelopes.newThreadId(), null,
                sender, now, peer);
        envelope.remove("signature");
        ObjectNode from = (ObjectNode) envelope.get("from");
        from.put("type", "agent");
        from.set("delegation_chain", chain);
        ObjectNode signed = envelopes.sign(envelope, sender);
        SubmitEnvelopeCommand base = CommandChannel.commandFor(signed, sender);
        return new SubmitEnvelopeCommand(base.messageId(), base.correlationId(), sender, "agent", base.keyId(),
                base.envelope(), base.receivedAt(), base.route());
    }

    private void register(String identity, String type) {
        IdentityChanged.Key key = new IdentityChanged.Key(TestEnvelopes.keyIdOf(identity),
                envelopes.keyOf(identity).verifyingKey().toSpkiPem(), IdentityChanged.Key.ACTIVE);
        transactions.executeWithoutResult(status -> identities.apply(new IdentityChanged("msg_" + UUID.randomUUID(),
                identity, type, List.of(key), false, Instant.now())));
    }
}
