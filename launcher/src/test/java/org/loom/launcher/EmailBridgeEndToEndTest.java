package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.launcher.NodeClient.Person;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;

/**
 * Mail from outside through the gateway of an embedded node: an MTA hands over a raw message with an attachment, the
 * recipient downloads the attachment as a blob and finds the mail in the INBOX of the legacy gateway, an outsider
 * cannot download it, and the MTA handing the same message over again makes no second envelope.
 */
class EmailBridgeEndToEndTest {

    @TempDir
    static Path dataDir;

    private static LoomNode node;
    private static NodeClient client;
    private static final Person ALICE = new Person("loom://alice@node.test");
    private static final Person EVE = new Person("loom://eve@node.test");
    /** The service identity the MTA hands mail over with. */
    private static final Person MTA = new Person("loom://mta@node.test");

    @BeforeAll
    static void startNode() throws Exception {
        node = LoomNode.start(EmbeddedNodeSettings.fromEnvironment(Map.of(
                "LOOM_DATA_DIR", dataDir.toString(),
                "PORT", "0")));
        client = new NodeClient(node.gatewayUrl());
        for (Person person : List.of(ALICE, EVE, MTA)) {
            client.register(person);
        }
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aRawEmailWithAnAttachmentReachesItsRecipientOnceWithTheAttachmentAsABlob() throws Exception {
        String mtaToken = client.token(MTA);
        String aliceToken = client.token(ALICE);
        byte[] invoice = new byte[3000];
        for (int i = 0; i < invoice.length; i++) {
            invoice[i] = (byte) (i % 251);
        }
        String raw = """
                From: Bob <bob@example.org>\r
                To: Alice <alice@node.test>\r
                Subject: Invoice for October\r
                Message-ID: <invoice-%s@example.org>\r
                MIME-Version: 1.0\r
                Content-Type: multipart/mixed; boundary="sep"\r
                \r
                --sep\r
                Content-Type: text/plain; charset=utf-8\r
                \r
                The invoice is attached.\r
                --sep\r
                Content-Type: application/pdf; name="invoice.pdf"\r
                Content-Disposition: attachment; filename="invoice.pdf"\r
                Content-Transfer-Encoding: base64\r
                \r
                %s\r
                --sep--\r
                """.formatted(LoomIds.next(IdPrefix.EVENT), Base64.getMimeEncoder().encodeToString(invoice));

        // An MTA keeps a message the node could not decide in time and hands it over again.
        HttpResponse<String>[] accepted = new HttpResponse[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            accepted[0] = client.postRaw("/v1/bridge/email/inbound", mtaToken, "message/rfc822", raw);
            return accepted[0].statusCode() != 503;
        });
        assertThat(accepted[0].statusCode()).as(accepted[0].body()).isEqualTo(201);
        JsonNode answer = LoomJson.parse(accepted[0].body());
        String envelopeId = answer.get("envelope_id").stringValue();
        String threadId = answer.get("thread_id").stringValue();
        assertThat(answer.get("quarantined").asBoolean()).isFalse();

        JsonNode envelope = client.get("/v1/envelopes/" + envelopeId, aliceToken, 200);
        JsonNode attachment = envelope.get("attachments").get(0);
        assertThat(attachment.get("filename").stringValue()).isEqualTo("invoice.pdf");
        String blobId = attachment.get("blob_id").stringValue();
        JsonNode blob = client.get("/v1/blobs/" + blobId, aliceToken, 200);
        assertThat(Base64.getDecoder().decode(blob.get("data_base64").stringValue())).isEqualTo(invoice);
        assertThat(blob.get("hash").stringValue()).isEqualTo(attachment.get("hash").stringValue());
        client.get("/v1/blobs/" + blobId, client.token(EVE), 403);

        JsonNode inbox = client.get("/v1/gateway/imap/folders/INBOX/messages", aliceToken, 200);
        assertThat(inbox.get("messages").findValuesAsString("envelope_id")).contains(envelopeId);

        HttpResponse<String> again = client.postRaw("/v1/bridge/email/inbound", mtaToken, "message/rfc822", raw);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        assertThat(LoomJson.parse(again.body()).get("envelope_id").stringValue()).isEqualTo(envelopeId);
        assertThat(client.get("/v1/threads/" + threadId + "/envelopes", aliceToken, 200).get("envelopes").size())
                .isEqualTo(1);
    }
}
