package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.loom.launcher.OperatorClient.bearer;
import static org.loom.launcher.OperatorClient.expect;
import static org.loom.launcher.OperatorClient.headers;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.launcher.OperatorClient.Person;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.delegation.DelegationLinks;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A backup of one node restored into a fresh node brings back what its users and its operator had: identities,
 * threads, envelopes and blobs; capability tokens (usable or revoked as they were); delegations (listed and still
 * carrying their agents' envelopes); the webhook, email and federation outboxes with each item's status, dead letters
 * included; and an audit chain that verifies, before and after new links are appended to it.
 */
class BackupRestoreEndToEndTest {

    private static final String ADMIN_TOKEN = "backup-operator-1";
    private static final Map<String, String> ADMIN = headers("x-loom-admin-token", ADMIN_TOKEN);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path firstData;

    @TempDir
    Path secondData;

    @Test
    void backupRestoredIntoAFreshNodeReproducesStateAuthorityOutboxesAndTheAuditChain() throws Exception {
        Person alice = Person.named("alice-backup");
        Person bob = Person.named("bob-backup");
        Person agent = Person.agent("assistant.alice-backup");
        String threadId = LoomIds.next(IdPrefix.THREAD);
        String capabilityThread = LoomIds.next(IdPrefix.THREAD);
        String agentThread = LoomIds.next(IdPrefix.THREAD);
        ObjectNode first = OperatorClient.message(alice, threadId, null, List.of(bob.identity()), "Before the move");
        ObjectNode link = delegation(alice, agent);
        String backup;
        String blobId;
        String revokedCapability;
        String liveCapability;
        String webhookId;
        String deadWebhookItem;
        String queuedWebhookItem;
        String emailItem;
        String federationItem;
        JsonNode storeBefore;
        JsonNode chainBefore;

        try (LoomNode node = LoomNode.start(settings(firstData))) {
            OperatorClient client = new OperatorClient(node.gatewayUrl());
            String aliceToken = client.enrol(alice);
            String bobToken = client.enrol(bob);
            String agentToken = client.enrol(agent);
            expect(client.send("POST", "/v1/envelopes", first.toString(), bearer(aliceToken)), 201);
            blobId = expect(client.send("POST", "/v1/blobs", "{\"thread_id\":\"" + threadId + "\"}",
                    bearer(aliceToken)), 201).get("blob_id").stringValue();
            expect(client.send("PUT", "/v1/blobs/" + blobId + "/parts/1", "{\"data_base64\":\""
                    + Base64.getEncoder().encodeToString("kept".getBytes(StandardCharsets.UTF_8)) + "\"}",
                    bearer(aliceToken)), 200);
            expect(client.send("POST", "/v1/blobs/" + blobId + "/complete", null, bearer(aliceToken)), 200);

            // Capabilities: one revoked (which raises the thread's epoch), then one issued after it that works.
            expect(client.send("POST", "/v1/envelopes", OperatorClient.message(alice, capabilityThread, null,
                    List.of(bob.identity()), "Bob may resolve this").toString(), bearer(aliceToken)), 201);
            revokedCapability = issueResolve(client, aliceToken, capabilityThread, bob);
            expect(client.send("DELETE", "/v1/capabilities/" + revokedCapability, null, bearer(aliceToken)), 200);
            liveCapability = issueResolve(client, aliceToken, capabilityThread, bob);

            // A delegation, used once before the move.
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() ->
                    client.send("POST", "/v1/delegations", link.toString(), bearer(aliceToken)).statusCode() == 201);
            expect(client.send("POST", "/v1/envelopes", agentEnvelope(agent, agentThread, link, bob).toString(),
                    bearer(agentToken)), 201);

            // Outboxes: a webhook item that became a dead letter, one still queued, an email and a federation item.
            ObjectNode webhook = LoomJson.mapper().createObjectNode()
                    .put("url", "http://127.0.0.1:" + FreePorts.pick() + "/hook").put("max_attempts", 1);
            webhook.putArray("events").add("envelope.accepted");
            webhookId = expect(client.send("POST", "/v1/webhooks", webhook.toString(), ADMIN), 201).get("id")
                    .stringValue();
            String firstEnvelope = send(client, alice, bob, aliceToken, "For the webhook");
            deadWebhookItem = webhookItem(client, webhookId, firstEnvelope).get("id").stringValue();
            assertThat(expect(client.send("POST", "/v1/webhooks/outbox/" + deadWebhookItem + "/process", null, ADMIN),
                    200).get("status").stringValue()).isEqualTo("failed");
            String secondEnvelope = send(client, alice, bob, aliceToken, "Waits for the webhook");
            queuedWebhookItem = webhookItem(client, webhookId, secondEnvelope).get("id").stringValue();

            ObjectNode email = LoomJson.mapper().createObjectNode().put("envelope_id", first.get("id").stringValue())
                    .put("to_email", "bob@example.test").put("smtp_from", "alice@node.test");
            emailItem = expect(client.send("POST", "/v1/email/outbox", email.toString(), bearer(aliceToken)), 201)
                    .get("id").stringValue();

            ObjectNode remote = LoomJson.mapper().createObjectNode().put("node_id", "far.test")
                    .put("domain", "far.test").put("key_id", "k_node_far_1")
                    .put("public_key_pem", SigningKey.generate().verifyingKey().toSpkiPem())
                    .put("deliver_url", "http://127.0.0.1:" + FreePorts.pick() + "/v1/federation/deliver");
            expect(client.send("POST", "/v1/federation/nodes", remote.toString(), ADMIN), 201);
            ObjectNode federate = LoomJson.mapper().createObjectNode().put("recipient_node", "far.test");
            federate.putArray("envelope_ids").add(first.get("id").stringValue());
            federationItem = expect(client.send("POST", "/v1/federation/outbox", federate.toString(),
                    bearer(aliceToken)), 201).get("id").stringValue();

            JsonNode schema = expect(client.send("GET", "/v1/admin/persistence/schema", null, ADMIN), 200);
            assertThat(schema.at("/services/envelope-service/initialized").asBoolean()).isTrue();
            assertThat(schema.at("/services/api-gateway/schema_version").asString()).isNotBlank();
            storeBefore = expect(client.send("GET", "/v1/admin/status", null, ADMIN), 200)
                    .at("/services/envelope-service/store");
            // The dead letter reaches the DLQ view and the audit chain through the broker: wait for both.
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> deadLetterIds(client)
                    .contains(deadWebhookItem));
            chainBefore = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> verify(client),
                    chain -> chain.get("valid").asBoolean() && hasAction(client, "webhook.outbox.process.failed"));

            HttpResponse<String> exported = client.send("GET", "/v1/admin/persistence/backup", null, ADMIN);
            assertThat(exported.statusCode()).isEqualTo(200);
            backup = exported.body();
            expect(client.send("GET", "/v1/admin/persistence/backup", null, Map.of()), 403);
        }
        JsonNode document = LoomJson.parse(backup);
        assertThat(document.get("loom_backup_version").asInt()).isEqualTo(1);
        assertThat(document.get("services").propertyNames()).contains("api-gateway", "envelope-service",
                "delivery-worker", "email-bridge", "federation-service");

        try (LoomNode node = LoomNode.start(settings(secondData))) {
            OperatorClient client = new OperatorClient(node.gatewayUrl());
            assertThat(expect(client.send("POST", "/v1/admin/persistence/restore", "{\"backup\":" + backup + "}",
                    ADMIN), 400).at("/error/details/field").asString()).isEqualTo("confirm");
            JsonNode restored = expect(client.send("POST", "/v1/admin/persistence/restore",
                    "{\"confirm\":\"restore\",\"backup\":" + backup + "}", ADMIN), 200);
            assertThat(restored.at("/services/envelope-service/rows").asLong()).isPositive();

            expect(client.send("GET", "/v1/identity/" + URLEncoder.encode(bob.identity(), StandardCharsets.UTF_8),
                    null, Map.of()), 200);
            // The restored keys still prove who is who.
            String aliceToken = client.token(alice);
            String bobToken = client.token(bob);
            String agentToken = client.token(agent);
            JsonNode envelopes = expect(client.send("GET", "/v1/threads/" + threadId + "/envelopes", null,
                    bearer(bobToken)), 200);
            assertThat(envelopes.at("/envelopes/0/id").asString()).isEqualTo(first.get("id").stringValue());
            JsonNode blob = expect(client.send("GET", "/v1/blobs/" + blobId, null, bearer(bobToken)), 200);
            assertThat(new String(Base64.getDecoder().decode(blob.get("data_base64").asString()),
                    StandardCharsets.UTF_8)).isEqualTo("kept");
            assertThat(expect(client.send("GET", "/v1/admin/status", null, ADMIN), 200)
                    .at("/services/envelope-service/store")).isEqualTo(storeBefore);

            // The audit chain came back whole: same head, and it verifies.
            JsonNode chainAfter = verify(client);
            assertThat(chainAfter.get("valid").asBoolean()).as(chainAfter.toString()).isTrue();
            assertThat(chainAfter.get("head_seq").asLong()).isGreaterThanOrEqualTo(chainBefore.get("head_seq")
                    .asLong());
            assertThat(chainAfter.get("checked").asLong()).isEqualTo(chainAfter.get("head_seq").asLong());

            // Capabilities: listed as they were; the revoked one stays dead, the later one still works.
            JsonNode capabilities = expect(client.send("GET", "/v1/capabilities?thread_id=" + capabilityThread, null,
                    bearer(bobToken)), 200).get("capabilities");
            assertThat(capabilities.valueStream().map(token -> token.get("id").stringValue() + ":"
                    + token.get("revoked").asBoolean()).toList())
                    .containsExactly(revokedCapability + ":true", liveCapability + ":false");
            String resolve = resolveEnvelope(bob, capabilityThread, alice).toString();
            assertThat(expect(client.send("POST", "/v1/threads/" + capabilityThread + "/ops", resolve,
                    headers("Authorization", "Bearer " + bobToken, "X-LOOM-Capability", revokedCapability)), 403)
                    .at("/error/message").stringValue()).isEqualTo("Capability token not usable");
            expect(client.send("POST", "/v1/threads/" + capabilityThread + "/ops",
                    resolveEnvelope(bob, capabilityThread, alice).toString(),
                    headers("Authorization", "Bearer " + bobToken, "X-LOOM-Capability", liveCapability)), 201);
            assertThat(expect(client.send("GET", "/v1/threads/" + capabilityThread, null, bearer(aliceToken)), 200)
                    .get("state").stringValue()).isEqualTo("resolved");

            // The delegation is listed and still lets the agent write for Alice.
            assertThat(expect(client.send("GET", "/v1/delegations?role=delegate", null, bearer(agentToken)), 200)
                    .at("/delegations/0/id").stringValue()).isEqualTo(link.get("id").stringValue());
            expect(client.send("POST", "/v1/envelopes", agentEnvelope(agent, agentThread, link, bob).toString(),
                    bearer(agentToken)), 201);

            // Outboxes: every item is back with its status; the dead letter is still one.
            assertThat(webhookStatuses(client, webhookId)).containsEntry(deadWebhookItem, "failed")
                    .containsEntry(queuedWebhookItem, "queued");
            assertThat(deadLetterIds(client)).contains(deadWebhookItem);
            JsonNode emails = expect(client.send("GET", "/v1/email/outbox", null, bearer(aliceToken)), 200)
                    .get("outbox");
            assertThat(emails.valueStream().filter(item -> item.get("id").stringValue().equals(emailItem))
                    .map(item -> item.get("status").stringValue()).toList()).containsExactly("queued");
            JsonNode federated = expect(client.send("GET", "/v1/federation/outbox", null, bearer(aliceToken)), 200)
                    .get("outbox");
            assertThat(federated.valueStream().filter(item -> item.get("id").stringValue().equals(federationItem))
                    .map(item -> item.get("status").stringValue()).toList()).containsExactly("queued");

            // The thread goes on where it stopped, and the audit chain grows from the restored head and verifies.
            ObjectNode reply = OperatorClient.message(bob, threadId, first.get("id").stringValue(),
                    List.of(alice.identity()), "After the move");
            assertThat(expect(client.send("POST", "/v1/envelopes", reply.toString(), bearer(bobToken)), 201)
                    .at("/meta/event_seq").asInt()).isEqualTo(2);
            long restoredHead = chainAfter.get("head_seq").asLong();
            JsonNode grown = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> verify(client),
                    chain -> chain.get("head_seq").asLong() > restoredHead && hasEnvelopeIngest(client, reply));
            JsonNode regrown = verify(client);
            assertThat(regrown.get("valid").asBoolean()).as(regrown.toString()).isTrue();
            assertThat(regrown.get("head_seq").asLong()).isGreaterThanOrEqualTo(grown.get("head_seq").asLong());
        }
    }

    private static EmbeddedNodeSettings settings(Path dataDir) {
        // Outboxes are worked only on request, so each item keeps the status the test gave it.
        return EmbeddedNodeSettings.fromEnvironment(Map.of("LOOM_DATA_DIR", dataDir.toString(), "PORT", "0",
                "LOOM_ADMIN_TOKEN", ADMIN_TOKEN,
                "LOOM_WEBHOOK_OUTBOX_AUTO_PROCESS_INTERVAL_MS", "0",
                "LOOM_OUTBOX_AUTO_PROCESS_INTERVAL_MS", "0",
                "LOOM_EMAIL_OUTBOX_AUTO_PROCESS_INTERVAL_MS", "0",
                "LOOM_OUTBOUND_ALLOW_PRIVATE_CIDRS", "127.0.0.0/8"));
    }

    private static String issueResolve(OperatorClient client, String ownerToken, String threadId, Person holder)
            throws Exception {
        ObjectNode issue = LoomJson.mapper().createObjectNode().put("thread_id", threadId)
                .put("issued_to", holder.identity());
        issue.putArray("grants").add("resolve");
        return expect(client.send("POST", "/v1/capabilities", issue.toString(), bearer(ownerToken)), 201).get("id")
                .stringValue();
    }

    private static ObjectNode delegation(Person delegator, Person delegate) {
        ObjectNode link = LoomJson.mapper().createObjectNode();
        link.put("id", LoomIds.next(IdPrefix.DELEGATION)).put("delegator", delegator.identity())
                .put("delegate", delegate.identity());
        link.putArray("scope").add("message.*");
        link.put("created_at", Timestamps.format(Instant.now().minusSeconds(5))).putNull("expires_at")
                .put("revocable", true).put("allow_sub_delegation", false).put("max_sub_delegation_depth", 0)
                .put("key_id", OperatorClient.keyId());
        return DelegationLinks.sign(link, delegator.key());
    }

    private static ObjectNode agentEnvelope(Person agent, String threadId, ObjectNode link, Person to) {
        ObjectNode envelope = OperatorClient.message(agent, threadId, null, List.of(to.identity()), "From the agent");
        envelope.remove("signature");
        ((ObjectNode) envelope.get("from")).putArray("delegation_chain").add(link);
        return EnvelopeSignatures.sign(envelope, agent.key(), OperatorClient.keyId());
    }

    private static ObjectNode resolveEnvelope(Person from, String threadId, Person to) {
        ObjectNode envelope = OperatorClient.message(from, threadId, null, List.of(to.identity()), "Resolving");
        envelope.remove("signature");
        envelope.put("type", "thread_op");
        ObjectNode content = envelope.putObject("content");
        content.putObject("structured").put("intent", "thread.resolve@v1").putObject("parameters");
        content.put("encrypted", false);
        return EnvelopeSignatures.sign(envelope, from.key(), OperatorClient.keyId());
    }

    private static String send(OperatorClient client, Person from, Person to, String token, String text)
            throws Exception {
        ObjectNode envelope = OperatorClient.message(from, LoomIds.next(IdPrefix.THREAD), null,
                List.of(to.identity()), text);
        expect(client.send("POST", "/v1/envelopes", envelope.toString(), bearer(token)), 201);
        return envelope.get("id").stringValue();
    }

    /** The webhook's outbox item for an envelope, once the delivery-worker has queued it. */
    private static JsonNode webhookItem(OperatorClient client, String webhookId, String envelopeId) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() ->
                expect(client.send("GET", "/v1/webhooks/outbox?webhook_id=" + webhookId, null, ADMIN), 200)
                        .get("outbox").valueStream()
                        .filter(item -> LoomJson.write(item).contains(envelopeId)).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static Map<String, String> webhookStatuses(OperatorClient client, String webhookId) throws Exception {
        Map<String, String> statuses = new java.util.HashMap<>();
        expect(client.send("GET", "/v1/webhooks/outbox?webhook_id=" + webhookId, null, ADMIN), 200).get("outbox")
                .forEach(item -> statuses.put(item.get("id").stringValue(), item.get("status").stringValue()));
        return statuses;
    }

    private static List<String> deadLetterIds(OperatorClient client) throws Exception {
        return expect(client.send("GET", "/v1/outbox/dlq?kind=webhook", null, ADMIN), 200).get("entries")
                .valueStream().map(entry -> entry.get("id").stringValue()).toList();
    }

    private static JsonNode verify(OperatorClient client) throws Exception {
        return expect(client.send("GET", "/v1/audit/verify", null, ADMIN), 200);
    }

    private static boolean hasAction(OperatorClient client, String action) {
        return adminAudit(client).valueStream().anyMatch(entry -> action.equals(entry.get("action").stringValue()));
    }

    private static boolean hasEnvelopeIngest(OperatorClient client, ObjectNode envelope) {
        return adminAudit(client).valueStream().anyMatch(entry -> "envelope.ingest".equals(
                entry.get("action").stringValue()) && LoomJson.write(entry).contains(envelope.get("id").stringValue()));
    }

    private static JsonNode adminAudit(OperatorClient client) {
        try {
            return expect(client.send("GET", "/v1/audit?limit=1000", null, ADMIN), 200).get("entries");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
