package org.loom.protocol.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.envelope.Envelope;
import org.loom.protocol.envelope.EnvelopeValidator;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

class DelegationChainVerifierTest {

    private static final String OWNER = "loom://owner@node.test";
    private static final String AGENT = "loom://assistant.owner@node.test";
    private static final String HELPER = "loom://helper.assistant.owner@node.test";
    private static final String WORKER = "loom://worker.helper.assistant.owner@node.test";
    private static final String STRANGER = "loom://stranger@node.test";

    private static final Instant NOW = Instant.parse("2026-02-16T21:00:00Z");

    private final Map<String, SigningKey> keys = new LinkedHashMap<>();
    private final InMemoryDelegationDirectory directory = new InMemoryDelegationDirectory();
    private final DelegationChainVerifier verifier =
            new DelegationChainVerifier(directory, Clock.fixed(NOW, ZoneOffset.UTC));

    DelegationChainVerifierTest() {
        for (String identity : List.of(OWNER, AGENT, HELPER, WORKER)) {
            SigningKey key = SigningKey.generate();
            keys.put(identity, key);
            directory.register(identity, keyId(identity), key.verifyingKey());
        }
    }

    @Test
    void acceptsASingleLinkChainAndReturnsItsLinks() {
        JsonNode chain = chain(link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("message.*")));

        List<DelegationLink> links = verifier.verifyChain(AGENT, "message.general@v1", chain);

        assertThat(links).extracting(DelegationLink::id).containsExactly("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1");
    }

    @Test
    void acceptsAChainThatNarrowsAtEveryHopWithinItsDepth() {
        JsonNode chain = chain(
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"), subDelegable(2)),
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA2", AGENT, HELPER, List.of("task.*", "message.general"),
                        subDelegable(1)),
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA3", HELPER, WORKER, List.of("task.create")));

        List<DelegationLink> links = verifier.verifyChain(WORKER, "task.create@v1", chain);

        assertThat(links).extracting(DelegationLink::delegate).containsExactly(AGENT, HELPER, WORKER);
    }

    @Test
    void anAgentWithoutAnIntentActsAsTypeSend() {
        JsonNode chain = chain(link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("message.send")));

        assertThat(verifier.verifyChain(AGENT, DelegationScope.envelopeAction(null, "message"), chain)).hasSize(1);
    }

    @Test
    void rejectsMissingOrEmptyChain() {
        for (JsonNode chain : new JsonNode[] {null, MissingNode.getInstance(), LoomJson.parse("[]"),
                LoomJson.parse("{}")}) {
            assertDenied(() -> verifier.verifyChain(AGENT, "message.general@v1", chain),
                    "Agent envelope requires non-empty delegation_chain", "field", "from.delegation_chain");
        }
    }

    @Test
    void rejectsALinkThatIsNotAnObjectWithItsIndex() {
        ArrayNode chain = chain(link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"), subDelegable(1)));
        chain.add("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA2");

        assertDenied(() -> verifier.verifyChain(HELPER, "task.create@v1", chain),
                "Delegation link must be an object", "index", 1);
    }

    @Test
    void rejectsMalformedLinksWithIndexAndField() {
        ObjectNode badDelegator = link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"));
        badDelegator.put("delegator", "loom://Owner@node.test");
        assertDenied(() -> verifier.verifyChain(AGENT, "x", chain(badDelegator)),
                "Delegation link has invalid delegator identity", "index", 0, "field", "delegator");

        ObjectNode badDelegate = link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"));
        badDelegate.put("delegate", "assistant");
        assertDenied(() -> verifier.verifyChain(AGENT, "x", chain(badDelegate)),
                "Delegation link has invalid delegate identity", "index", 0, "field", "delegate");

        ObjectNode unsigned = link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"));
        unsigned.remove("signature");
        assertDenied(() -> verifier.verifyChain(AGENT, "x", chain(unsigned)),
                "Delegation link signature is required", "index", 0, "field", "signature");

        ObjectNode noScope = link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"));
        noScope.putArray("scope");
        assertDenied(() -> verifier.verifyChain(AGENT, "x", chain(noScope)),
                "scope must be a non-empty array", "index", 0, "field", "scope");

        ObjectNode blankScope = link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"));
        blankScope.putArray("scope").add("  ");
        assertDenied(() -> verifier.verifyChain(AGENT, "x", chain(blankScope)),
                "scope must contain at least one scope", "index", 0, "field", "scope");

        ObjectNode badExpiry = link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"));
        badExpiry.put("expires_at", "2026-02-16 22:00");
        assertDenied(() -> verifier.verifyChain(AGENT, "x", chain(badExpiry)),
                "Delegation expires_at must be ISO-8601", "index", 0, "field", "expires_at");
    }

    @Test
    void rejectsAnUnknownDelegator() {
        SigningKey strangerKey = SigningKey.generate();
        keys.put(STRANGER, strangerKey);
        JsonNode chain = chain(link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", STRANGER, AGENT, List.of("*")));

        assertDenied(() -> verifier.verifyChain(AGENT, "x", chain),
                "Delegator identity not found: " + STRANGER, "index", 0, "delegator", STRANGER);
    }

    @Test
    void rejectsAnUnknownKeyId() {
        ObjectNode unsigned = unsignedLink("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"));
        unsigned.put("key_id", "k_sign_owner_9");
        JsonNode chain = chain(DelegationLinks.sign(unsigned, keys.get(OWNER)));

        assertDenied(() -> verifier.verifyChain(AGENT, "x", chain),
                "Delegation signing key not found: k_sign_owner_9", "index", 0, "key_id", "k_sign_owner_9");
    }

    @Test
    void neverAcceptsAnotherIdentitysKey() {
        // The agent signs a link in the owner's name with its own key id: the id exists, but not for the owner.
        ObjectNode unsigned = unsignedLink("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"));
        unsigned.put("key_id", keyId(AGENT));
        JsonNode chain = chain(DelegationLinks.sign(unsigned, keys.get(AGENT)));

        assertDenied(() -> verifier.verifyChain(AGENT, "x", chain),
                "Delegation signing key not found: " + keyId(AGENT), "index", 0, "key_id", keyId(AGENT));
    }

    @Test
    void usesTheSoleKeyWhenTheLinkNamesNone() {
        ObjectNode unsigned = unsignedLink("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"));
        unsigned.putNull("key_id");

        assertThat(verifier.verifyChain(AGENT, "x", chain(DelegationLinks.sign(unsigned, keys.get(OWNER)))))
                .hasSize(1);
    }

    @Test
    void requiresAKeyIdWhenTheDelegatorHasSeveralKeys() {
        directory.register(OWNER, "k_sign_owner_2", SigningKey.generate().verifyingKey());
        ObjectNode unsigned = unsignedLink("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"));
        unsigned.putNull("key_id");
        JsonNode chain = chain(DelegationLinks.sign(unsigned, keys.get(OWNER)));

        assertDenied(() -> verifier.verifyChain(AGENT, "x", chain),
                "Delegation must include key_id when delegator has multiple signing keys",
                "index", 0, "delegator", OWNER);
    }

    @Test
    void rejectsADelegatorWithoutKeys() {
        directory.registerWithoutKeys(STRANGER);
        SigningKey strangerKey = SigningKey.generate();
        ObjectNode unsigned = unsignedLink("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", STRANGER, AGENT, List.of("*"));
        unsigned.putNull("key_id");
        JsonNode chain = chain(DelegationLinks.sign(unsigned, strangerKey));

        assertDenied(() -> verifier.verifyChain(AGENT, "x", chain),
                "Delegator has no signing key: " + STRANGER, "index", 0, "delegator", STRANGER);
    }

    @Test
    void rejectsATamperedLink() {
        ObjectNode tampered = link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("message.general"));
        tampered.putArray("scope").add("*");

        assertDenied(() -> verifier.verifyChain(AGENT, "x", chain(tampered)),
                "Delegation signature verification failed",
                "index", 0, "delegation_id", "dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1");
    }

    @Test
    void rejectsALinkSignedByTheWrongKey() {
        ObjectNode unsigned = unsignedLink("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"));
        JsonNode chain = chain(DelegationLinks.sign(unsigned, keys.get(AGENT)));

        assertDenied(() -> verifier.verifyChain(AGENT, "x", chain), "Delegation signature verification failed",
                "index", 0, "delegation_id", "dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1");
    }

    @Test
    void rejectsALinkExpiredAtOrBeforeNow() {
        JsonNode atNow = chain(link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"),
                l -> l.put("expires_at", "2026-02-16T21:00:00.000Z")));
        assertDenied(() -> verifier.verifyChain(AGENT, "x", atNow), "Delegation link expired",
                "index", 0, "delegate", AGENT);

        JsonNode later = chain(link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"),
                l -> l.put("expires_at", "2026-02-16T21:00:00.001Z")));
        assertThat(verifier.verifyChain(AGENT, "x", later)).hasSize(1);
    }

    @Test
    void rejectsARevokedLink() {
        directory.revoke("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA2");
        JsonNode chain = chain(
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"), subDelegable(1)),
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA2", AGENT, HELPER, List.of("task.*")));

        assertDenied(() -> verifier.verifyChain(HELPER, "task.create", chain), "Delegation link has been revoked",
                "index", 1, "delegation_id", "dlg_01ARZ3NDEKTSV4RRFFQ69G5FA2");
    }

    @Test
    void rejectsABrokenChain() {
        JsonNode chain = chain(
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"), subDelegable(1)),
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA2", HELPER, WORKER, List.of("task.*")));

        assertDenied(() -> verifier.verifyChain(WORKER, "task.create", chain),
                "Delegation chain continuity violation",
                "index", 1, "expected_delegator", AGENT, "delegator", HELPER);
    }

    @Test
    void rejectsASubDelegationThatWidensTheScope() {
        JsonNode chain = chain(
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("task.*"), subDelegable(1)),
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA2", AGENT, HELPER, List.of("task.create", "calendar.read")));

        assertDenied(() -> verifier.verifyChain(HELPER, "task.create", chain),
                "Delegation scope escalation detected", "index", 1,
                        "child_scope", List.of("task.create", "calendar.read"), "parent_scope", List.of("task.*"));
    }

    @Test
    void rejectsASubDelegationThatPassesTheSameScopeOn() {
        JsonNode chain = chain(
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("task.*", "message.general"),
                        subDelegable(1)),
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA2", AGENT, HELPER, List.of("message.general", "task.*")));

        assertDenied(() -> verifier.verifyChain(HELPER, "task.create", chain),
                "Delegation scope escalation detected", "index", 1,
                        "child_scope", List.of("message.general", "task.*"),
                        "parent_scope", List.of("task.*", "message.general"));
    }

    @Test
    void rejectsTheAllPatternBelowTheRoot() {
        JsonNode chain = chain(
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*", "task.create"), subDelegable(1)),
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA2", AGENT, HELPER, List.of("*")));

        assertDenied(() -> verifier.verifyChain(HELPER, "task.create", chain),
                "Delegation scope \"*\" is only valid in the root link",
                "index", 1, "scope", List.of("*"));
    }

    @Test
    void rejectsSubDelegationTheParentForbids() {
        JsonNode chain = chain(
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("task.*"),
                        l -> l.put("max_sub_delegation_depth", 3)),
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA2", AGENT, HELPER, List.of("task.create")));

        assertDenied(() -> verifier.verifyChain(HELPER, "task.create", chain),
                "Sub-delegation forbidden by parent delegation", "index", 1, "parent_index", 0);
    }

    @Test
    void rootDepthBoundsTheWholeChain() {
        JsonNode chain = chain(
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"), subDelegable(1)),
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA2", AGENT, HELPER, List.of("task.*"), subDelegable(5)),
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA3", HELPER, WORKER, List.of("task.create")));

        assertDenied(() -> verifier.verifyChain(WORKER, "task.create", chain),
                "Delegation chain exceeds max_sub_delegation_depth",
                "index", 2, "limiting_index", 0, "max_sub_delegation_depth", 1);
    }

    @Test
    void depthZeroForbidsFurtherLinksEvenWhenSubDelegationIsAllowed() {
        JsonNode chain = chain(
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*"), subDelegable(0)),
                link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA2", AGENT, HELPER, List.of("task.*")));

        assertDenied(() -> verifier.verifyChain(HELPER, "task.create", chain),
                "Delegation chain exceeds max_sub_delegation_depth",
                "index", 1, "limiting_index", 0, "max_sub_delegation_depth", 0);
    }

    @Test
    void rejectsALeafThatIsNotTheSender() {
        JsonNode chain = chain(link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("*")));

        assertDenied(() -> verifier.verifyChain(HELPER, "task.create", chain),
                "Delegation chain leaf must match envelope sender identity",
                "sender", HELPER, "delegate", AGENT);
    }

    @Test
    void rejectsAnActionOutsideTheLeafScope() {
        JsonNode chain = chain(link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("calendar.*")));

        assertDenied(() -> verifier.verifyChain(AGENT, "message.general@v1", chain),
                "Delegation scope does not permit envelope action",
                "sender", AGENT, "action", "message.general@v1");
    }

    @Test
    void verifiesALinkOnItsOwn() {
        DelegationLink link = verifier.verifyLink(link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT,
                List.of("task.*"), l -> l.put("expires_at", "2020-01-01T00:00:00Z")));

        assertThat(link.delegator()).isEqualTo(OWNER);
        assertThat(link.isExpiredAt(NOW)).isTrue();
    }

    @Test
    void verifiesTheChainAnAgentEnvelopeCarries() {
        ArrayNode chain = chain(link("dlg_01ARZ3NDEKTSV4RRFFQ69G5FA1", OWNER, AGENT, List.of("message.general")));
        Envelope allowed = envelope(AGENT, "agent", chain, "message.general@v1");
        Envelope outOfScope = envelope(AGENT, "agent", chain, "task.create@v1");

        assertThat(verifier.verifyChain(allowed)).extracting(DelegationLink::delegate).containsExactly(AGENT);
        assertDenied(() -> verifier.verifyChain(outOfScope), "Delegation scope does not permit envelope action",
                "sender", AGENT, "action", "task.create@v1");
    }

    @Test
    void humanSendersHaveNoChainToVerify() {
        assertThat(verifier.verifyChain(envelope(OWNER, "human", null, "message.general@v1"))).isEmpty();
    }

    private static Envelope envelope(String sender, String senderType, ArrayNode chain, String intent) {
        ObjectNode json = (ObjectNode) LoomJson.parse("{\"loom\":\"1.1\",\"id\":\"env_01ARZ3NDEKTSV4RRFFQ69G5FAV\","
                + "\"thread_id\":\"thr_01ARZ3NDEKTSV4RRFFQ69G5FAW\",\"parent_id\":null,\"type\":\"message\","
                + "\"to\":[{\"identity\":\"loom://bob@node.test\",\"role\":\"primary\"}],"
                + "\"created_at\":\"2026-02-16T20:00:00Z\",\"priority\":\"normal\","
                + "\"content\":{\"human\":{\"text\":\"Hello\",\"format\":\"markdown\"},"
                + "\"structured\":{\"parameters\":{}},\"encrypted\":false},\"attachments\":[]}");
        ((ObjectNode) json.get("content").get("structured")).put("intent", intent);
        ObjectNode from = json.putObject("from");
        from.put("identity", sender);
        from.put("key_id", keyId(sender));
        from.put("type", senderType);
        if (chain != null) {
            from.set("delegation_chain", chain);
        }
        ObjectNode signature = json.putObject("signature");
        signature.put("algorithm", "Ed25519");
        signature.put("key_id", keyId(sender));
        signature.put("value", SigningKey.generate().sign("placeholder").base64Url());
        return EnvelopeValidator.parse(json);
    }

    private static void assertDenied(Runnable call, String message, Object... details) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(LoomException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DELEGATION_INVALID);
            assertThat(e.httpStatus()).isEqualTo(403);
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(e.details()).containsExactlyEntriesOf(LoomException.details(details));
        });
    }

    private static Consumer<ObjectNode> subDelegable(int depth) {
        return l -> {
            l.put("allow_sub_delegation", true);
            l.put("max_sub_delegation_depth", depth);
        };
    }

    private static ArrayNode chain(JsonNode... links) {
        ArrayNode chain = JsonNodeFactory.instance.arrayNode();
        for (JsonNode link : links) {
            chain.add(link);
        }
        return chain;
    }

    private ObjectNode link(String id, String delegator, String delegate, List<String> scope) {
        return link(id, delegator, delegate, scope, l -> { });
    }

    private ObjectNode link(String id, String delegator, String delegate, List<String> scope,
            Consumer<ObjectNode> adjust) {
        ObjectNode unsigned = unsignedLink(id, delegator, delegate, scope);
        adjust.accept(unsigned);
        return DelegationLinks.sign(unsigned, keys.get(delegator));
    }

    private static ObjectNode unsignedLink(String id, String delegator, String delegate, List<String> scope) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("id", id);
        request.put("delegator", delegator);
        request.put("delegate", delegate);
        ArrayNode patterns = request.putArray("scope");
        scope.forEach(patterns::add);
        request.put("created_at", "2026-02-16T20:30:00Z");
        request.put("key_id", keyId(delegator));
        return DelegationLinks.fromCreateRequest(request, delegator, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static String keyId(String identity) {
        String local = identity.substring("loom://".length(), identity.indexOf('@'));
        return "k_sign_" + local.replace('.', '_') + "_1";
    }
}
