package org.loom.email.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The legacy gateway's folders and messages, over threads stored and labelled by the real envelope-service. */
class ImapGatewayIntegrationTest extends RunningEmailBridge {

    private static final String FRANK = "loom://frank@node.test";
    private static final String GINA = "loom://gina@node.test";
    private static final String HANK = "loom://hank@node.test";
    private static final String IVY = "loom://ivy@node.test";
    private static final String MTA = "loom://mta@node.test";

    private JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return LoomJson.parse(response.body());
    }

    private static int count(JsonNode folders, String name) {
        for (JsonNode folder : folders.path("folders")) {
            if (folder.path("name").asString().equals(name)) {
                return folder.path("count").asInt();
            }
        }
        throw new AssertionError("no folder " + name);
    }

    @Test
    void threadsAreFiledByTheCallersSysLabelsAndBccRecipientsStayHidden() throws Exception {
        String inboxThread = LoomIds.next(IdPrefix.THREAD);
        ObjectNode inboxMessage = ItEnvelopes.message(FRANK, inboxThread, null, "Hello", GINA + " primary",
                HANK + " bcc");
        EnvelopeServiceNode.get().submit(inboxMessage, FRANK, "human");
        String archivedThread = LoomIds.next(IdPrefix.THREAD);
        ObjectNode archivedMessage = ItEnvelopes.message(FRANK, archivedThread, null, "Old news", GINA + " primary");
        EnvelopeServiceNode.get().submit(archivedMessage, FRANK, "human");
        ObjectNode labels = LoomJson.mapper().createObjectNode();
        labels.putArray("labels").add("sys.archive");
        EnvelopeServiceNode.get().submit(ItEnvelopes.threadOp(FRANK, archivedThread, "thread.update@v1", labels,
                GINA + " primary"), FRANK, "human");

        JsonNode folders = json(get("/v1/gateway/imap/folders", FRANK));
        assertThat(folders.path("folders").findValuesAsString("name"))
                .containsExactly("INBOX", "Sent", "Archive", "Spam", "Trash", "Quarantine", "Drafts");
        // Frank wrote the first thread: it is in his Sent (spec §20.1), not his inbox.
        assertThat(count(folders, "INBOX")).isZero();
        assertThat(count(folders, "Sent")).isEqualTo(1);
        assertThat(count(folders, "Archive")).isEqualTo(1);
        assertThat(count(folders, "Drafts")).isZero();

        JsonNode archive = json(get("/v1/gateway/imap/folders/All%20Mail/messages", FRANK));
        assertThat(archive.path("folder").asString()).isEqualTo("Archive");
        assertThat(archive.path("messages").findValuesAsString("envelope_id"))
                .contains(archivedMessage.path("id").asString())
                .doesNotContain(inboxMessage.path("id").asString());

        JsonNode senderView = json(get("/v1/gateway/imap/folders/Sent%20Items/messages", FRANK));
        JsonNode message = senderView.path("messages").get(0);
        assertThat(message.path("uid").asInt()).isEqualTo(1);
        assertThat(message.path("envelope_id").asString()).isEqualTo(inboxMessage.path("id").asString());
        assertThat(message.path("from_email").asString()).isEqualTo("frank@node.test");
        assertThat(message.path("body_text").asString()).isEqualTo("Hello");
        assertThat(message.path("subject").asString()).isEqualTo("(no subject)");
        assertThat(message.path("headers").path("X-LOOM-Thread-ID").asString()).isEqualTo(inboxThread);
        assertThat(message.path("headers").path("Message-ID").asString())
                .isEqualTo("<" + inboxMessage.path("id").asString() + "@node.test>");
        assertThat(LoomJson.mapper().convertValue(message.path("to"), String[].class)).containsExactly(GINA, HANK);

        JsonNode recipientView = json(get("/v1/gateway/imap/folders/INBOX/messages", GINA));
        JsonNode seenByGina = recipientView.path("messages").get(0);
        assertThat(LoomJson.mapper().convertValue(seenByGina.path("to"), String[].class)).containsExactly(GINA);

        assertThat(json(get("/v1/gateway/imap/folders/Nonsense/messages", FRANK)).path("messages").size()).isZero();
        assertThat(json(get("/v1/gateway/imap/folders/sent/messages?limit=0", FRANK)).path("messages").size())
                .isEqualTo(1);
        assertThat(get("/v1/gateway/imap/folders", null).statusCode()).isEqualTo(401);
    }

    private java.util.List<String> listed(String folder, String actor) throws Exception {
        return json(get("/v1/gateway/imap/folders/" + folder + "/messages", actor)).path("messages")
                .findValuesAsString("envelope_id");
    }

    @Test
    void inboundMailIsInTheRecipientsInboxFlaggedMailInQuarantineAndMailedEnvelopesInTheSendersSent()
            throws Exception {
        HttpResponse<String> inbound = postMessage("/v1/bridge/email/inbound", MTA, """
                From: Bob <bob@example.org>\r
                To: Ivy <ivy@node.test>\r
                Subject: Project kickoff\r
                Message-ID: <kickoff-%s@example.org>\r
                \r
                Kickoff is on Monday.\r
                """.formatted(LoomIds.next(IdPrefix.EVENT)));
        assertThat(inbound.statusCode()).as(inbound.body()).isEqualTo(201);
        JsonNode delivered = LoomJson.parse(inbound.body());
        String deliveredId = delivered.path("envelope_id").asString();
        assertThat(EnvelopeServiceNode.get().mailboxLabels(delivered.path("thread_id").asString(), IVY))
                .containsExactly("sys.inbox");

        HttpResponse<String> flagged = post("/v1/bridge/email/inbound", MTA, """
                {"smtp_from": "prize@example.net", "rcpt_to": ["ivy@node.test"], "text": "Claim your prize",
                 "quarantine": true}
                """);
        assertThat(flagged.statusCode()).as(flagged.body()).isEqualTo(201);
        JsonNode quarantined = LoomJson.parse(flagged.body());
        assertThat(quarantined.path("quarantined").asBoolean()).isTrue();
        String quarantinedId = quarantined.path("envelope_id").asString();
        assertThat(EnvelopeServiceNode.get().mailboxLabels(quarantined.path("thread_id").asString(), IVY))
                .containsExactly("sys.quarantine");

        ObjectNode outgoing = ItEnvelopes.message(IVY, LoomIds.next(IdPrefix.THREAD), null, "Minutes attached",
                "bridge://bob@example.org primary");
        EnvelopeServiceNode.get().submit(outgoing, IVY, "human");
        startMail();
        HttpResponse<String> sent = post("/v1/bridge/email/send", IVY,
                "{\"envelope_id\":\"" + outgoing.path("id").asString() + "\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);

        assertThat(listed("INBOX", IVY)).contains(deliveredId).doesNotContain(quarantinedId,
                outgoing.path("id").asString());
        assertThat(listed("Quarantine", IVY)).containsExactly(quarantinedId);
        assertThat(listed("Sent", IVY)).containsExactly(outgoing.path("id").asString());
        JsonNode folders = json(get("/v1/gateway/imap/folders", IVY));
        assertThat(count(folders, "INBOX")).isEqualTo(1);
        assertThat(count(folders, "Quarantine")).isEqualTo(1);
        assertThat(count(folders, "Sent")).isEqualTo(1);
    }
}
