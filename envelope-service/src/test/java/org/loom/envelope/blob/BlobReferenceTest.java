package org.loom.envelope.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.loom.envelope.CommandChannel;
import org.loom.envelope.CommandDrivenTest;
import org.loom.envelope.TestEnvelopes;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import tools.jackson.databind.node.ObjectNode;

/**
 * Attaching a blob shares it with the thread's readers, so an envelope may refer only to blobs its sender may read,
 * and what an attachment states about the blob must be true.
 */
class BlobReferenceTest extends CommandDrivenTest {

    private static final String ALICE = "loom://alice@node.test";
    private static final String BOB = "loom://bob@node.test";
    private static final String EVE = "loom://eve@node.test";
    private static final String MALLORY = "loom://mallory@node.test";

    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    /** The hash each blob made here was completed with, so attachments can state it truthfully. */
    private final Map<String, String> hashes = new HashMap<>();

    @Test
    void attachingSomeoneElsesBlobByItsIdIsRefusedAndGrantsNoRead() throws Exception {
        String secret = completedBlob(ALICE, "alice's secret");

        ObjectNode stealing = attaching(EVE, MALLORY, secret, null, null);
        assertRefused(refusal(stealing, EVE), 403, "CAPABILITY_DENIED");
        // Nothing was stored, so neither the thief nor the accomplice gained a way to read it.
        assertThat(send("GET", "/v1/blobs/" + secret, EVE, null).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/v1/blobs/" + secret, MALLORY, null).statusCode()).isEqualTo(403);
    }

    @Test
    void blobIdHiddenOutsideTheAttachmentsIsRefusedToo() throws Exception {
        String secret = completedBlob(ALICE, "hidden elsewhere");
        ObjectNode envelope = envelopes.message(TestEnvelopes.newEnvelopeId(), TestEnvelopes.newThreadId(), null, EVE,
                t0, MALLORY);
        envelope.remove("signature");
        ObjectNode structured = ((ObjectNode) envelope.get("content")).putObject("structured");
        structured.put("intent", "message.general@v1");
        structured.putObject("parameters").putObject("file").put("blob_id", secret);
        assertRefused(refusal(envelopes.sign(envelope, EVE), EVE), 403, "CAPABILITY_DENIED");
        assertThat(send("GET", "/v1/blobs/" + secret, MALLORY, null).statusCode()).isEqualTo(403);
    }

    @Test
    void attachmentNamingABlobThatDoesNotExistIsRefused() {
        ObjectNode envelope = attaching(ALICE, BOB, "blob_01ARZ3NDEKTSV4RRFFQ69G5FAV", null, null);
        assertRefused(refusal(envelope, ALICE), 403, "CAPABILITY_DENIED");
    }

    @Test
    void attachmentStatingAnotherHashOrSizeThanItsBlobIsRefused() throws Exception {
        String own = completedBlob(ALICE, "twelve bytes");
        assertRefused(refusal(attaching(ALICE, BOB, own, "sha256:" + Sha256.hex("other bytes"), null), ALICE), 400,
                "ENVELOPE_INVALID");
        assertRefused(refusal(attaching(ALICE, BOB, own, null, 99L), ALICE), 400, "ENVELOPE_INVALID");

        submit(attaching(ALICE, BOB, own, "sha256:" + Sha256.hex("twelve bytes"), 12L), ALICE);
        assertThat(send("GET", "/v1/blobs/" + own, BOB, null).statusCode()).isEqualTo(200);
    }

    @Test
    void attachingAnUnfinishedBlobIsRefusedAsItsHashCannotBeChecked() throws Exception {
        String pending = create(ALICE);
        assertRefused(refusal(attaching(ALICE, BOB, pending, "sha256:" + Sha256.hex("later"), null), ALICE), 400,
                "ENVELOPE_INVALID");
    }

    @Test
    void recipientMayPassOnABlobItMayReadButAnOutsiderMayNot() throws Exception {
        String shared = completedBlob(ALICE, "pass it on");
        submit(attaching(ALICE, BOB, shared, null, null), ALICE);
        // Bob reads it through Alice's envelope, so he may attach it in a thread of his own.
        submit(attaching(BOB, MALLORY, shared, null, null), BOB);
        assertThat(send("GET", "/v1/blobs/" + shared, MALLORY, null).statusCode()).isEqualTo(200);
        assertRefused(refusal(attaching(EVE, MALLORY, shared, null, null), EVE), 403, "CAPABILITY_DENIED");
    }

    @Test
    void participantLeftOutOfAnEnvelopesAudienceCannotReadTheBlobItAttaches() throws Exception {
        String threadId = TestEnvelopes.newThreadId();
        String root = TestEnvelopes.newEnvelopeId();
        submit(envelopes.message(root, threadId, null, ALICE, t0, BOB, MALLORY), ALICE);
        String aside = completedBlob(ALICE, "for bob only");
        ObjectNode envelope = envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, root, ALICE,
                t0.plusSeconds(1), BOB);
        envelope.remove("signature");
        envelope.putObject("audience").put("mode", "recipients");
        envelope.putArray("attachments").add(attachment(aside, null, null));
        submit(envelopes.sign(envelope, ALICE), ALICE);

        assertThat(send("GET", "/v1/blobs/" + aside, BOB, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v1/blobs/" + aside, MALLORY, null).statusCode()).isEqualTo(403);
    }

    @Test
    void federatedEnvelopeMayNameBlobsOfItsOwnNodeButNotOnesKeptHere() throws Exception {
        String remote = "loom://rita@remote.test";
        ObjectNode foreign = attaching(remote, ALICE, "blob_01ARZ3NDEKTSV4RRFFQ69G5FAV", null, null);
        assertThat(channel().submit(federated(foreign, remote)).status()).isEqualTo(201);

        String local = completedBlob(ALICE, "kept here");
        CommandResult reply = channel().submit(federated(attaching(remote, BOB, local, null, null), remote));
        assertRefused(reply, 403, "CAPABILITY_DENIED");
    }

    private static SubmitEnvelopeCommand federated(ObjectNode envelope, String actor) {
        SubmitEnvelopeCommand local = CommandChannel.commandFor(envelope, actor);
        return new SubmitEnvelopeCommand(local.messageId(), local.correlationId(), actor, local.actorType(),
                local.keyId(), envelope, local.receivedAt(), "/v1/federation/deliver");
    }

    private ObjectNode attaching(String from, String to, String blobId, String hash, Long size) {
        ObjectNode envelope = envelopes.message(TestEnvelopes.newEnvelopeId(), TestEnvelopes.newThreadId(), null, from,
                t0, to);
        envelope.remove("signature");
        envelope.putArray("attachments").add(attachment(blobId, hash, size));
        return envelopes.sign(envelope, from);
    }

    private ObjectNode attachment(String blobId, String statedHash, Long size) {
        String hash = statedHash != null ? statedHash
                : hashes.getOrDefault(blobId, "sha256:" + Sha256.hex("unknown"));
        ObjectNode attachment = LoomJson.mapper().createObjectNode();
        attachment.put("id", "att_" + blobId.substring("blob_".length()));
        attachment.put("blob_id", blobId);
        attachment.put("filename", "file.txt");
        attachment.put("hash", hash);
        if (size != null) {
            attachment.put("size_bytes", size);
        }
        return attachment;
    }

    private CommandResult refusal(ObjectNode envelope, String actor) {
        return channel().submit(CommandChannel.commandFor(envelope, actor));
    }

    private static void assertRefused(CommandResult reply, int status, String code) {
        assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(status);
        assertThat(reply.errorCode()).isEqualTo(ErrorCode.valueOf(code));
    }

    private String completedBlob(String owner, String content) throws Exception {
        String id = create(owner);
        String part = "{\"data_base64\":\"" + Base64.getEncoder().encodeToString(
                content.getBytes(StandardCharsets.UTF_8)) + "\"}";
        assertThat(send("PUT", "/v1/blobs/" + id + "/parts/1", owner, part).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/v1/blobs/" + id + "/complete", owner, "").statusCode()).isEqualTo(200);
        hashes.put(id, "sha256:" + Sha256.hex(content));
        return id;
    }

    private String create(String owner) throws Exception {
        HttpResponse<String> created = send("POST", "/v1/blobs", owner, "{}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return LoomJson.parse(created.body()).get("blob_id").stringValue();
    }
}
