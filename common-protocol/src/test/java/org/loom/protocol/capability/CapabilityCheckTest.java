package org.loom.protocol.capability;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.envelope.Envelope;
import org.loom.protocol.envelope.EnvelopeValidator;
import org.loom.protocol.envelope.Priority;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.node.ObjectNode;

class CapabilityCheckTest {

    private static final String THREAD = "thr_01ARZ3NDEKTSV4RRFFQ69G5FAW";
    private static final String OTHER_THREAD = "thr_01ARZ3NDEKTSV4RRFFQ69G5FAX";
    private static final String BOB = "loom://bob@node.test";
    private static final String TOKEN_ID = "cap_01ARZ3NDEKTSV4RRFFQ69G5FAV";
    private static final Instant NOW = Instant.parse("2026-02-16T21:00:00Z");

    private final CapabilityCheck check = new CapabilityCheck(Clock.fixed(NOW, ZoneOffset.UTC));

    private static CapabilityUse resolveByBob() {
        return new CapabilityUse(BOB, "thread.resolve@v1", "resolve", THREAD, 3, "thread_op", Priority.NORMAL);
    }

    private static CapabilityToken token(String threadId, String issuedTo, String expiresAt, long epoch,
            List<String> grants, CapabilityScope scope) {
        return new CapabilityToken("1.1", TOKEN_ID, "loom://owner@node.test", issuedTo, "2026-02-16T20:00:00.000Z",
                expiresAt, false, epoch, grants, scope == null ? CapabilityScope.thread(threadId) : scope, null);
    }

    private static CapabilityToken good() {
        return token(THREAD, BOB, "2026-02-17T00:00:00Z", 3, List.of("resolve"), null);
    }

    @Test
    void acceptsAUsableTokenWithTheGrant() {
        assertThatCode(() -> check.requireAuthorized(resolveByBob(), TOKEN_ID, Optional.of(good()), TokenState.ACTIVE))
                .doesNotThrowAnyException();
    }

    @Test
    void adminGrantStandsInForAnyGrant() {
        CapabilityToken admin = token(THREAD, BOB, null, 3, List.of("admin"), null);
        CapabilityUse reopen = new CapabilityUse(BOB, "thread.reopen@v1", "admin", THREAD, 3, "thread_op",
                Priority.NORMAL);

        assertThatCode(() -> check.requireAuthorized(resolveByBob(), TOKEN_ID, Optional.of(admin), TokenState.ACTIVE))
                .doesNotThrowAnyException();
        assertThatCode(() -> check.requireAuthorized(reopen, TOKEN_ID, Optional.of(admin), TokenState.ACTIVE))
                .doesNotThrowAnyException();
    }

    @Test
    void firstRequiresAToken() {
        for (String missing : new String[] {null, "", "  "}) {
            assertDenied(() -> check.requireAuthorized(resolveByBob(), missing, Optional.empty(), TokenState.ACTIVE),
                    "Capability token required for thread operation",
                    "intent", "thread.resolve@v1", "actor", BOB);
        }
    }

    @Test
    void thenRequiresTheTokenToBeKnown() {
        assertDenied(() -> check.requireAuthorized(resolveByBob(), TOKEN_ID, Optional.empty(), TokenState.ACTIVE),
                "Capability token not found", "capability_token", TOKEN_ID);
    }

    @Test
    void thenRequiresTheTokenToBeForThisThread() {
        // Wrong thread, wrong holder, revoked, stale epoch and no grant: the thread scope is reported first.
        CapabilityToken wrongEverything = token(OTHER_THREAD, "loom://eve@node.test", null, 1, List.of("lock"), null);
        assertDenied(() -> check.requireAuthorized(resolveByBob(), TOKEN_ID, Optional.of(wrongEverything),
                new TokenState(true, true)), "Capability token thread scope mismatch",
                "capability_token", TOKEN_ID, "token_thread_id", OTHER_THREAD, "thread_id", THREAD);
    }

    @Test
    void thenRequiresTheActorToBeTheHolder() {
        CapabilityToken eves = token(THREAD, "loom://eve@node.test", null, 1, List.of("lock"), null);
        assertDenied(() -> check.requireAuthorized(resolveByBob(), TOKEN_ID, Optional.of(eves),
                new TokenState(true, false)), "Capability token issued to different identity",
                "capability_token", TOKEN_ID, "actor", BOB);
    }

    @Test
    void thenRequiresTheTokenToBeUnrevokedUnspentAndUnexpired() {
        CapabilityToken staleEpoch = token(THREAD, BOB, null, 1, List.of("lock"), null);
        assertDenied(() -> check.requireAuthorized(resolveByBob(), TOKEN_ID, Optional.of(staleEpoch),
                new TokenState(true, false)), "Capability token not usable",
                "capability_token", TOKEN_ID, "reason", "revoked");
        assertDenied(() -> check.requireAuthorized(resolveByBob(), TOKEN_ID, Optional.of(staleEpoch),
                new TokenState(false, true)), "Capability token not usable",
                "capability_token", TOKEN_ID, "reason", "spent");

        CapabilityToken expiredNow = token(THREAD, BOB, "2026-02-16T21:00:00.000Z", 1, List.of("lock"), null);
        assertDenied(() -> check.requireAuthorized(resolveByBob(), TOKEN_ID, Optional.of(expiredNow),
                TokenState.ACTIVE), "Capability token not usable",
                "capability_token", TOKEN_ID, "reason", "expired");
    }

    @Test
    void anExpiryThatCannotBeReadCountsAsPassed() {
        CapabilityToken unreadable = token(THREAD, BOB, "next week", 3, List.of("resolve"), null);
        assertDenied(() -> check.requireAuthorized(resolveByBob(), TOKEN_ID, Optional.of(unreadable),
                TokenState.ACTIVE), "Capability token not usable", "capability_token", TOKEN_ID, "reason", "expired");
    }

    @Test
    void thenRequiresTheThreadsCurrentEpoch() {
        CapabilityToken staleEpoch = token(THREAD, BOB, "2026-02-16T21:00:00.001Z", 2, List.of("lock"), null);
        assertDenied(() -> check.requireAuthorized(resolveByBob(), TOKEN_ID, Optional.of(staleEpoch),
                TokenState.ACTIVE), "Capability token epoch mismatch", "token_epoch", 2L, "thread_epoch", 3L);
    }

    @Test
    void thenRequiresTheGrant() {
        CapabilityToken lockOnly = token(THREAD, BOB, null, 3, List.of("lock", "label"), null);
        assertDenied(() -> check.requireAuthorized(resolveByBob(), TOKEN_ID, Optional.of(lockOnly),
                TokenState.ACTIVE), "Capability token grant missing for operation",
                "required_grant", "resolve");
    }

    @Test
    void honoursTheScopesEnvelopeTypes() {
        CapabilityToken messagesOnly = token(THREAD, BOB, null, 3, List.of("resolve"),
                new CapabilityScope(THREAD, List.of("message", "task"), null, null, null));
        assertDenied(() -> check.requireAuthorized(resolveByBob(), TOKEN_ID, Optional.of(messagesOnly),
                TokenState.ACTIVE), "Capability token scope does not allow envelope type",
                "envelope_type", "thread_op", "envelope_types", List.of("message", "task"));

        CapabilityToken opsAllowed = token(THREAD, BOB, null, 3, List.of("resolve"),
                new CapabilityScope(THREAD, List.of("thread_op"), null, null, null));
        assertThatCode(() -> check.requireAuthorized(resolveByBob(), TOKEN_ID, Optional.of(opsAllowed),
                TokenState.ACTIVE)).doesNotThrowAnyException();
    }

    @Test
    void honoursTheScopesPriorityCeiling() {
        CapabilityToken normalAtMost = token(THREAD, BOB, null, 3, List.of("resolve"),
                new CapabilityScope(THREAD, null, null, Priority.NORMAL, null));
        CapabilityUse urgent = new CapabilityUse(BOB, "thread.resolve@v1", "resolve", THREAD, 3, "thread_op",
                Priority.URGENT);
        CapabilityUse low = new CapabilityUse(BOB, "thread.resolve@v1", "resolve", THREAD, 3, "thread_op",
                Priority.LOW);

        assertDenied(() -> check.requireAuthorized(urgent, TOKEN_ID, Optional.of(normalAtMost), TokenState.ACTIVE),
                "Capability token scope does not allow priority",
                "priority", "urgent", "max_priority", "normal");
        assertThatCode(() -> check.requireAuthorized(low, TOKEN_ID, Optional.of(normalAtMost), TokenState.ACTIVE))
                .doesNotThrowAnyException();
        assertThatCode(() -> check.requireAuthorized(resolveByBob(), TOKEN_ID, Optional.of(normalAtMost),
                TokenState.ACTIVE)).doesNotThrowAnyException();
    }

    @Test
    void aThreadOpEnvelopeNamesItsIntentGrantThreadTypeAndPriority() {
        Envelope op = EnvelopeValidator.parse(threadOp("thread.lock@v1", "\"priority\":\"high\","));
        Envelope unknown = EnvelopeValidator.parse(threadOp("thread.teleport@v1", ""));

        assertThat(CapabilityUse.forThreadOp(op, BOB, 3)).isEqualTo(
                new CapabilityUse(BOB, "thread.lock@v1", "lock", THREAD, 3, "thread_op", Priority.HIGH));
        assertThat(CapabilityUse.forThreadOp(unknown, BOB, 0)).isEqualTo(
                new CapabilityUse(BOB, "thread.teleport@v1", "admin", THREAD, 0, "thread_op", Priority.NORMAL));
    }

    private static ObjectNode threadOp(String intent, String priorityMember) {
        ObjectNode json = (ObjectNode) LoomJson.parse("{\"loom\":\"1.1\",\"id\":\"env_01ARZ3NDEKTSV4RRFFQ69G5FAV\","
                + "\"thread_id\":\"" + THREAD + "\",\"parent_id\":null,\"type\":\"thread_op\","
                + "\"from\":{\"identity\":\"" + BOB + "\",\"key_id\":\"k_sign_bob_1\",\"type\":\"human\"},"
                + "\"to\":[{\"identity\":\"loom://owner@node.test\",\"role\":\"primary\"}],"
                + "\"created_at\":\"2026-02-16T20:00:00Z\"," + priorityMember
                + "\"content\":{\"structured\":{\"intent\":\"" + intent + "\",\"parameters\":{"
                + "\"capability_token\":\"" + TOKEN_ID + "\"}},\"encrypted\":false},\"attachments\":[]}");
        ObjectNode signature = json.putObject("signature");
        signature.put("algorithm", "Ed25519");
        signature.put("key_id", "k_sign_bob_1");
        signature.put("value", SigningKey.generate().sign("placeholder").base64Url());
        return json;
    }

    private static void assertDenied(Runnable call, String message, Object... details) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(LoomException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CAPABILITY_DENIED);
            assertThat(e.httpStatus()).isEqualTo(403);
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(e.details()).containsExactlyEntriesOf(LoomException.details(details));
        });
    }
}
