package org.loom.email.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.BodyPart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.loom.email.index.JdbcMessageIndex;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Attachments across the bridge: a raw email's MIME attachment becomes a blob of the real envelope-service that the
 * thread's participants may read, the envelope refers to it, a reply attaching it goes out with it as a MIME part,
 * and attachments over the limits are refused before anything is stored.
 */
class EmailAttachmentsIntegrationTest extends RunningEmailBridge {

    private static final String ALICE = "loom://alice@node.test";
    private static final String MALLORY = "loom://mallory@node.test";
    private static final String MTA = "loom://mta@node.test";

    @Autowired
    private JdbcMessageIndex index;

    /** A report of a few kilobytes whose bytes are not text. */
    private static byte[] report(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        return data;
    }

    private static String attachmentPart(String filename, String type, byte[] data) {
        return """
                --b1\r
                Content-Type: %s; name="%s"\r
                Content-Disposition: attachment; filename="%s"\r
                Content-Transfer-Encoding: base64\r
                \r
                %s\r
                """.formatted(type, filename, filename, Base64.getMimeEncoder().encodeToString(data));
    }

    private static String mailWith(String messageId, String... parts) {
        return """
                From: Bob <bob@example.org>\r
                To: Alice <alice@node.test>\r
                Subject: Figures for Q3\r
                Message-ID: <%s>\r
                MIME-Version: 1.0\r
                Content-Type: multipart/mixed; boundary="b1"\r
                \r
                --b1\r
                Content-Type: text/plain; charset=utf-8\r
                \r
                The report is attached.\r
                %s--b1--\r
                """.formatted(messageId, String.join("", parts));
    }

    @Test
    void aRawEmailsAttachmentBecomesABlobOnlyTheThreadsParticipantsMayReadAndGoesOutAgainWithTheReply()
            throws Exception {
        byte[] data = report(5000);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        String messageId = "report-" + LoomIds.next(IdPrefix.EVENT) + "@example.org";
        HttpResponse<String> received = postMessage("/v1/bridge/email/inbound", MTA,
                mailWith(messageId, attachmentPart("q3-report.pdf", "application/pdf", data)));
        assertThat(received.statusCode()).as(received.body()).isEqualTo(201);
        JsonNode answer = LoomJson.parse(received.body());
        String threadId = answer.path("thread_id").asString();

        JsonNode stored = EnvelopeServiceNode.get().submitted(answer.path("envelope_id").asString(), ALICE);
        assertThat(stored.path("attachments").size()).isEqualTo(1);
        JsonNode attachment = stored.path("attachments").get(0);
        assertThat(attachment.path("id").asString()).startsWith("att_");
        assertThat(attachment.path("filename").asString()).isEqualTo("q3-report.pdf");
        assertThat(attachment.path("mime_type").asString()).isEqualTo("application/pdf");
        assertThat(attachment.path("size_bytes").asLong()).isEqualTo(data.length);
        assertThat(attachment.path("hash").asString()).isEqualTo("sha256:" + sha256);
        assertThat(attachment.path("inline").asBoolean()).isFalse();
        String blobId = attachment.path("blob_id").asString();
        assertThat(blobId).startsWith("blob_");
        assertThat(stored.path("content").path("human").path("text").asString()).contains("The report is attached.");

        HttpResponse<String> asRecipient = EnvelopeServiceNode.get().call("GET", "/v1/blobs/" + blobId, ALICE, null);
        assertThat(asRecipient.statusCode()).as(asRecipient.body()).isEqualTo(200);
        JsonNode blob = LoomJson.parse(asRecipient.body());
        assertThat(Base64.getDecoder().decode(blob.path("data_base64").asString())).isEqualTo(data);
        assertThat(blob.path("created_by").asString()).isEqualTo("bridge://bob@example.org");
        assertThat(EnvelopeServiceNode.get().call("GET", "/v1/blobs/" + blobId, MALLORY, null).statusCode())
                .isEqualTo(403);

        // Alice answers with the report attached; the email that goes out carries it, and her thread is in Sent.
        GreenMail mail = startMail();
        mail.purgeEmailFromAllMailboxes();
        ArrayNode attachments = LoomJson.mapper().createArrayNode();
        attachments.add(attachment.deepCopy());
        ObjectNode reply = ItEnvelopes.message(ALICE, threadId, answer.path("envelope_id").asString(),
                "Numbers look right, see my notes in the report.", attachments, "bridge://bob@example.org primary");
        EnvelopeServiceNode.get().submit(reply, ALICE, "human");
        // Take the thread out of Alice's Sent so that the delivery is what puts it back.
        EnvelopeServiceNode.get().call("POST", "/v1/mailbox/threads/" + threadId, ALICE,
                "{\"remove\":[\"sys.sent\"]}");
        assertThat(EnvelopeServiceNode.get().mailboxLabels(threadId, ALICE)).doesNotContain("sys.sent");

        HttpResponse<String> sent = post("/v1/bridge/email/send", ALICE,
                "{\"envelope_id\":\"" + reply.path("id").asString() + "\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(mail.waitForIncomingEmail(Duration.ofSeconds(30).toMillis(), 1)).isTrue();
        MimeMessage email = mail.getReceivedMessages()[0];
        assertThat(email.getContentType()).startsWith("multipart/mixed");
        MimeMultipart mixed = (MimeMultipart) email.getContent();
        assertThat(mixed.getCount()).isEqualTo(2);
        BodyPart file = mixed.getBodyPart(1);
        assertThat(file.getFileName()).isEqualTo("q3-report.pdf");
        assertThat(file.getDisposition()).isEqualToIgnoringCase(Part.ATTACHMENT);
        assertThat(file.getContentType()).startsWith("application/pdf");
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        file.getDataHandler().writeTo(content);
        assertThat(content.toByteArray()).isEqualTo(data);

        assertThat(EnvelopeServiceNode.get().mailboxLabels(threadId, ALICE)).contains("sys.sent", "sys.inbox");
    }

    @Test
    void mailSubmittedThroughTheLegacyGatewayKeepsItsAttachmentAsABlobOfTheUser() throws Exception {
        byte[] data = report(2000);
        String raw = mailWith("minutes-" + LoomIds.next(IdPrefix.EVENT) + "@node.test",
                attachmentPart("minutes.txt", "text/plain", data))
                .replace("From: Bob <bob@example.org>", "From: Alice <alice@node.test>")
                .replace("To: Alice <alice@node.test>", "To: Bob <bob@example.org>");
        HttpResponse<String> submitted = postMessage("/v1/gateway/smtp/submit", ALICE, raw);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);

        JsonNode stored = EnvelopeServiceNode.get().submitted(
                LoomJson.parse(submitted.body()).path("envelope_id").asString(), ALICE);
        JsonNode attachment = stored.path("attachments").get(0);
        assertThat(attachment.path("filename").asString()).isEqualTo("minutes.txt");
        JsonNode blob = LoomJson.parse(EnvelopeServiceNode.get()
                .call("GET", "/v1/blobs/" + attachment.path("blob_id").asString(), ALICE, null).body());
        assertThat(blob.path("created_by").asString()).isEqualTo(ALICE);
        assertThat(Base64.getDecoder().decode(blob.path("data_base64").asString())).isEqualTo(data);
    }

    @Test
    void anEnvelopeWhoseAttachedBlobCannotBeReadIsNotMailedWithoutIt() throws Exception {
        ArrayNode attachments = LoomJson.mapper().createArrayNode();
        attachments.addObject().put("id", LoomIds.next(IdPrefix.ATTACHMENT)).put("filename", "gone.pdf")
                .put("mime_type", "application/pdf").put("size_bytes", 10)
                .put("hash", "sha256:" + "0".repeat(64)).put("blob_id", LoomIds.next(IdPrefix.BLOB))
                .put("inline", false);
        ObjectNode envelope = ItEnvelopes.message(ALICE, LoomIds.next(IdPrefix.THREAD), null, "Here it is",
                attachments, "bridge://bob@example.org primary");
        // Only an envelope from another node may name a blob this node does not hold (one kept by that node).
        EnvelopeServiceNode.get().submit(envelope, ALICE, "human", "/v1/federation/deliver");

        HttpResponse<String> sent = post("/v1/bridge/email/send", ALICE,
                "{\"envelope_id\":\"" + envelope.path("id").asString() + "\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        JsonNode item = LoomJson.parse(sent.body());
        assertThat(item.path("status").asString()).isEqualTo("failed");
        assertThat(item.path("last_error").asString()).containsIgnoringCase("blob");
    }

    @Test
    void attachmentsOverTheLimitsAreRefusedBeforeAnythingIsStored() throws Exception {
        String tooBigId = "big-" + LoomIds.next(IdPrefix.EVENT) + "@example.org";
        HttpResponse<String> tooBig = postMessage("/v1/bridge/email/inbound", MTA,
                mailWith(tooBigId, attachmentPart("huge.bin", "application/octet-stream", report(70_000))));
        assertThat(tooBig.statusCode()).as(tooBig.body()).isEqualTo(413);
        JsonNode error = LoomJson.parse(tooBig.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(error.path("details").path("filename").asString()).isEqualTo("huge.bin");
        assertThat(error.path("details").path("max_attachment_bytes").asLong()).isEqualTo(65536);
        assertThat(index.byMessageId(tooBigId)).isEmpty();

        String tooManyId = "many-" + LoomIds.next(IdPrefix.EVENT) + "@example.org";
        HttpResponse<String> tooMany = postMessage("/v1/bridge/email/inbound", MTA, mailWith(tooManyId,
                attachmentPart("a.txt", "text/plain", report(10)), attachmentPart("b.txt", "text/plain", report(10)),
                attachmentPart("c.txt", "text/plain", report(10)), attachmentPart("d.txt", "text/plain", report(10))));
        assertThat(tooMany.statusCode()).as(tooMany.body()).isEqualTo(413);
        assertThat(LoomJson.parse(tooMany.body()).path("error").path("details").path("max_attachments").asInt())
                .isEqualTo(3);
        assertThat(index.byMessageId(tooManyId)).isEmpty();
    }
}
