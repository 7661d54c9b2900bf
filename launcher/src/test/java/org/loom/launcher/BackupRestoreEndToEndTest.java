package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.loom.launcher.OperatorClient.bearer;
import static org.loom.launcher.OperatorClient.expect;
import static org.loom.launcher.OperatorClient.headers;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.launcher.OperatorClient.Person;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A backup of one node restored into a fresh node brings back what its users had. */
class BackupRestoreEndToEndTest {

    private static final String ADMIN_TOKEN = "backup-operator-1";
    private static final Map<String, String> ADMIN = headers("x-loom-admin-token", ADMIN_TOKEN);

    @TempDir
    Path firstData;

    @TempDir
    Path secondData;

    @Test
    void backupRestoredIntoAFreshNodeReproducesIdentitiesThreadsEnvelopesAndBlobs() throws Exception {
        Person alice = Person.named("alice-backup");
        Person bob = Person.named("bob-backup");
        String threadId = LoomIds.next(IdPrefix.THREAD);
        ObjectNode first = OperatorClient.message(alice, threadId, null, List.of(bob.identity()), "Before the move");
        String backup;
        String blobId;
        JsonNode storeBefore;

        try (LoomNode node = LoomNode.start(settings(firstData))) {
            OperatorClient client = new OperatorClient(node.gatewayUrl());
            String aliceToken = client.enrol(alice);
            client.enrol(bob);
            expect(client.send("POST", "/v1/envelopes", first.toString(), bearer(aliceToken)), 201);
            blobId = expect(client.send("POST", "/v1/blobs", "{\"thread_id\":\"" + threadId + "\"}",
                    bearer(aliceToken)), 201).get("blob_id").stringValue();
            expect(client.send("PUT", "/v1/blobs/" + blobId + "/parts/1", "{\"data_base64\":\""
                    + Base64.getEncoder().encodeToString("kept".getBytes(StandardCharsets.UTF_8)) + "\"}",
                    bearer(aliceToken)), 200);
            expect(client.send("POST", "/v1/blobs/" + blobId + "/complete", null, bearer(aliceToken)), 200);

            JsonNode schema = expect(client.send("GET", "/v1/admin/persistence/schema", null, ADMIN), 200);
            assertThat(schema.at("/services/envelope-service/initialized").asBoolean()).isTrue();
            assertThat(schema.at("/services/api-gateway/schema_version").asString()).isNotBlank();
            storeBefore = expect(client.send("GET", "/v1/admin/status", null, ADMIN), 200)
                    .at("/services/envelope-service/store");

            HttpResponse<String> exported = client.send("GET", "/v1/admin/persistence/backup", null, ADMIN);
            assertThat(exported.statusCode()).isEqualTo(200);
            backup = exported.body();
            expect(client.send("GET", "/v1/admin/persistence/backup", null, Map.of()), 403);
        }
        JsonNode document = LoomJson.parse(backup);
        assertThat(document.get("loom_backup_version").asInt()).isEqualTo(1);
        assertThat(document.get("services").propertyNames()).contains("api-gateway", "envelope-service");

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
            String bobToken = client.token(bob);
            JsonNode envelopes = expect(client.send("GET", "/v1/threads/" + threadId + "/envelopes", null,
                    bearer(bobToken)), 200);
            assertThat(envelopes.at("/envelopes/0/id").asString()).isEqualTo(first.get("id").stringValue());
            JsonNode blob = expect(client.send("GET", "/v1/blobs/" + blobId, null, bearer(bobToken)), 200);
            assertThat(new String(Base64.getDecoder().decode(blob.get("data_base64").asString()),
                    StandardCharsets.UTF_8)).isEqualTo("kept");
            assertThat(expect(client.send("GET", "/v1/admin/status", null, ADMIN), 200)
                    .at("/services/envelope-service/store")).isEqualTo(storeBefore);

            // The thread goes on where it stopped.
            ObjectNode reply = OperatorClient.message(bob, threadId, first.get("id").stringValue(),
                    List.of(alice.identity()), "After the move");
            assertThat(expect(client.send("POST", "/v1/envelopes", reply.toString(), bearer(bobToken)), 201)
                    .at("/meta/event_seq").asInt()).isEqualTo(2);
        }
    }

    private static EmbeddedNodeSettings settings(Path dataDir) {
        return EmbeddedNodeSettings.fromEnvironment(Map.of("LOOM_DATA_DIR", dataDir.toString(), "PORT", "0",
                "LOOM_ADMIN_TOKEN", ADMIN_TOKEN));
    }
}
