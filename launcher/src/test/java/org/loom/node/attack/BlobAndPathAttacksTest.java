package org.loom.node.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.loom.node.attack.ImpersonationAttacksTest.assertRefused;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loom.node.attack.AttackNode.Account;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.testsupport.client.NodeAnswer;
import org.loom.testsupport.client.NodeClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reaching stored content by name instead of by right, through the public gateway of a real node: attaching someone
 * else's blob by its id, and path traversal in blob ids and folder names.
 */
class BlobAndPathAttacksTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final List<String> TRAVERSALS = List.of("..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e", "..%5c..%5cwin.ini",
            "blob_..%2F..%2Fcontent", "%00", "....%2F%2F", "%252e%252e%252f");

    private static AttackNode node;
    private static NodeClient client;
    private static Account alice;
    private static Account bob;
    private static Account eve;

    @BeforeAll
    static void startNode() throws Exception {
        node = AttackNode.start(Map.of());
        client = node.client();
        alice = node.enrol("loom://alice@node.test");
        bob = node.enrol("loom://bob@node.test");
        eve = node.enrol("loom://eve@node.test");
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void attachingAnotherIdentitysBlobByItsIdIsRefusedAndTheBlobStaysUnreadable() {
        String secret = "alice's payroll";
        String blobId = completedBlob(alice, secret);
        client.get("/v1/blobs/" + blobId, eve.token()).expect(403);

        ObjectNode envelope = NodeClient.message(eve.person(), LoomIds.next(IdPrefix.THREAD), null,
                List.of(bob.identity()), "see attached");
        envelope.remove("signature");
        envelope.putArray("attachments").addObject()
                .put("id", LoomIds.next(IdPrefix.ATTACHMENT))
                .put("blob_id", blobId)
                .put("hash", "sha256:" + Sha256.hex(secret))
                .put("filename", "payroll.txt");
        ObjectNode signed = EnvelopeSignatures.sign(envelope, eve.person().key(), eve.person().keyId());
        assertRefused(client.submit(eve.token(), signed, PATIENCE), 403, "CAPABILITY_DENIED");

        assertRefused(client.get("/v1/blobs/" + blobId, eve.token()), 403, "CAPABILITY_DENIED");
        assertRefused(client.get("/v1/blobs/" + blobId, bob.token()), 403, "CAPABILITY_DENIED");
    }

    @Test
    void attachmentLyingAboutItsBlobsHashIsRefused() {
        String blobId = completedBlob(alice, "the real bytes");
        ObjectNode envelope = NodeClient.message(alice.person(), LoomIds.next(IdPrefix.THREAD), null,
                List.of(bob.identity()), "see attached");
        envelope.remove("signature");
        envelope.putArray("attachments").addObject()
                .put("id", LoomIds.next(IdPrefix.ATTACHMENT))
                .put("blob_id", blobId)
                .put("hash", "sha256:" + Sha256.hex("harmless looking bytes"))
                .put("filename", "invoice.pdf");
        ObjectNode signed = EnvelopeSignatures.sign(envelope, alice.person().key(), alice.person().keyId());
        assertRefused(client.submit(alice.token(), signed, PATIENCE), 400, "ENVELOPE_INVALID");
    }

    @Test
    void pathTraversalInBlobIdsFindsNothing() {
        completedBlob(alice, "anything");
        for (String id : TRAVERSALS) {
            NodeAnswer read = client.get("/v1/blobs/" + id, alice.token());
            assertThat(read.status()).as(id + " " + read.raw()).isBetween(400, 404);
            assertThat(read.raw()).doesNotContain("root:").doesNotContain("data_base64");
            NodeAnswer part = client.send(client.request("/v1/blobs/" + id + "/parts/1", alice.token(), Map.of())
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(partBody("x"))));
            assertThat(part.status()).as(id + " " + part.raw()).isBetween(400, 404);
            NodeAnswer complete = client.post("/v1/blobs/" + id + "/complete", alice.token(),
                    LoomJson.mapper().createObjectNode());
            assertThat(complete.status()).as(id + " " + complete.raw()).isBetween(400, 404);
        }
    }

    @Test
    void pathTraversalInFolderAndThreadNamesFindsNothing() {
        String threadId = LoomIds.next(IdPrefix.THREAD);
        client.submit(alice.token(), NodeClient.message(alice.person(), threadId, null, List.of(bob.identity()),
                "folder secret"), PATIENCE).expect(201);
        for (String name : TRAVERSALS) {
            NodeAnswer folder = client.get("/v1/gateway/imap/folders/" + name + "/messages", eve.token());
            assertThat(folder.status()).as(name + " " + folder.raw()).isLessThan(500);
            assertThat(folder.raw()).doesNotContain("folder secret").doesNotContain(threadId);
            NodeAnswer mailbox = client.get("/v1/mailbox/threads/" + name, eve.token());
            assertThat(mailbox.status()).as(name + " " + mailbox.raw()).isBetween(400, 404);
            NodeAnswer thread = client.get("/v1/threads/" + name + "/envelopes", eve.token());
            assertThat(thread.status()).as(name + " " + thread.raw()).isBetween(400, 404);
        }
        // A folder named after the victim's is still the caller's own view.
        for (String folder : List.of("INBOX", "Sent", "INBOX%2F..%2F..%2FSent")) {
            NodeAnswer view = client.get("/v1/gateway/imap/folders/" + folder + "/messages", eve.token());
            assertThat(view.status()).as(folder + " " + view.raw()).isLessThan(500);
            assertThat(view.raw()).doesNotContain("folder secret").doesNotContain(threadId);
        }
    }

    private static String completedBlob(Account owner, String content) {
        String id = client.post("/v1/blobs", owner.token(), LoomJson.mapper().createObjectNode()
                .put("filename", "file.txt")).expect(201).get("blob_id").stringValue();
        client.send(client.request("/v1/blobs/" + id + "/parts/1", owner.token(), Map.of())
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(partBody(content)))).expect(200);
        JsonNode done = client.post("/v1/blobs/" + id + "/complete", owner.token(),
                LoomJson.mapper().createObjectNode()).expect(200);
        assertThat(done.get("status").stringValue()).isEqualTo("complete");
        return id;
    }

    private static String partBody(String content) {
        return "{\"data_base64\":\"" + Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8))
                + "\"}";
    }
}
