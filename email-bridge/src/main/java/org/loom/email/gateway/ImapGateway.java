package org.loom.email.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.loom.email.bridge.IndexedMessage;
import org.loom.email.bridge.MessageIndex;
import org.loom.email.bridge.NodeSigner;
import org.loom.email.bridge.OutboundRenderer;
import org.loom.email.envelope.EnvelopeServiceClient;
import org.loom.email.parse.MessageIds;
import org.loom.protocol.json.LoomJson;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The mailbox view of the legacy gateway (spec §22.2, as JSON): folders from the caller's {@code sys.*} mailbox labels
 * (and the threads' own labels) and messages from their envelopes, only for threads the caller is an active
 * participant of, with Bcc recipients shown only to the sender and to themselves.
 */
@Service
public class ImapGateway {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    private final EnvelopeServiceClient envelopes;
    private final MessageIndex index;
    private final NodeSigner node;

    public ImapGateway(EnvelopeServiceClient envelopes, MessageIndex index, NodeSigner node) {
        this.envelopes = envelopes;
        this.index = index;
        this.node = node;
    }

    /** {@code {folders:[{name, count}]}}: every folder in order, counting the caller's threads in it. */
    public ObjectNode folders(String actor) {
        Map<MailFolder, Integer> counts = new EnumMap<>(MailFolder.class);
        Map<String, Set<String>> mailbox = mailboxLabels(actor);
        for (JsonNode thread : activeThreads(actor)) {
            for (MailFolder folder : MailFolder.of(labels(thread, mailbox))) {
                counts.merge(folder, 1, Integer::sum);
            }
        }
        ObjectNode json = LoomJson.mapper().createObjectNode();
        ArrayNode list = json.putArray("folders");
        for (MailFolder folder : MailFolder.values()) {
            list.addObject().put("name", folder.displayName()).put("count", counts.getOrDefault(folder, 0));
        }
        return json;
    }

    /**
     * {@code {folder, messages:[…]}}: the messages of the caller's threads in the folder, newest first (by
     * {@code created_at}, then envelope id), at most {@code limit}, numbered from 1.
     */
    public ObjectNode messages(String actor, String folderName, int limit) {
        Optional<MailFolder> folder = MailFolder.named(folderName);
        ObjectNode json = LoomJson.mapper().createObjectNode();
        json.put("folder", folder.map(MailFolder::displayName).orElse(folderName == null ? "" : folderName.strip()));
        ArrayNode list = json.putArray("messages");
        if (folder.isEmpty() || folder.get() == MailFolder.DRAFTS) {
            return json;
        }
        List<ObjectNode> messages = new ArrayList<>();
        Map<String, Set<String>> mailbox = mailboxLabels(actor);
        for (JsonNode thread : activeThreads(actor)) {
            if (!MailFolder.of(labels(thread, mailbox)).contains(folder.get())) {
                continue;
            }
            String subject = thread.path("subject").isString() ? thread.get("subject").stringValue() : null;
            for (JsonNode envelope : envelopes.envelopesOf(thread.path("id").asString(), actor)) {
                messages.add(message(envelope, subject, actor));
            }
        }
        messages.sort(Comparator.comparing((ObjectNode m) -> m.path("date").asString()).reversed()
                .thenComparing(m -> m.path("envelope_id").asString()));
        int bounded = Math.max(1, Math.min(limit, MAX_LIMIT));
        for (int i = 0; i < Math.min(bounded, messages.size()); i++) {
            ObjectNode message = messages.get(i);
            message.put("uid", i + 1);
            list.add(message);
        }
        return json;
    }

    private ObjectNode message(JsonNode envelope, String threadSubject, String actor) {
        String envelopeId = envelope.path("id").asString();
        String from = envelope.path("from").path("identity").asString();
        JsonNode content = envelope.path("content");
        String parentId = envelope.path("parent_id").isString() ? envelope.get("parent_id").stringValue() : null;
        String messageId = MessageIds.bracket(node.messageIdOf(envelopeId));
        String inReplyTo = parentId == null ? null : MessageIds.bracket(index.byEnvelopeId(parentId)
                .map(IndexedMessage::messageId).orElse(node.messageIdOf(parentId)));
        String intent = content.path("structured").path("intent").isString()
                && !content.path("structured").path("intent").stringValue().isEmpty()
                ? content.path("structured").path("intent").stringValue() : "message.general@v1";
        JsonNode emailSubject = content.path("structured").path("parameters").path("subject");

        ObjectNode message = LoomJson.mapper().createObjectNode();
        message.put("envelope_id", envelopeId);
        message.put("thread_id", envelope.path("thread_id").asString());
        message.put("subject", threadSubject != null ? threadSubject
                : emailSubject.isString() ? emailSubject.stringValue() : "(no subject)");
        message.put("from", from);
        message.put("from_email", from.substring(from.indexOf("://") + 3));
        ArrayNode to = message.putArray("to");
        for (JsonNode recipient : envelope.path("to")) {
            String identity = recipient.path("identity").asString();
            // A Bcc recipient is shown to the sender and to that recipient only.
            if (!"bcc".equals(recipient.path("role").asString()) || actor.equals(from) || actor.equals(identity)) {
                to.add(identity);
            }
        }
        message.put("date", envelope.path("created_at").asString());
        message.put("message_id", messageId);
        message.put("in_reply_to", inReplyTo);
        message.put("body_text", content.path("encrypted").asBoolean(false) ? OutboundRenderer.ENCRYPTED_TEXT
                : content.path("human").path("text").asString(""));
        ObjectNode headers = message.putObject("headers");
        headers.put("Message-ID", messageId);
        if (inReplyTo != null) {
            headers.put("In-Reply-To", inReplyTo);
        }
        Set<String> references = new LinkedHashSet<>();
        for (JsonNode external : envelope.path("references").path("external")) {
            if ("email_message_id".equals(external.path("type").asString()) && external.path("ref").isString()) {
                references.add(MessageIds.bracket(external.get("ref").stringValue()));
            }
        }
        if (!references.isEmpty()) {
            headers.put("References", String.join(" ", references));
        }
        headers.put("X-LOOM-Thread-ID", envelope.path("thread_id").asString());
        headers.put("X-LOOM-Envelope-ID", envelopeId);
        headers.put("X-LOOM-Intent", intent);
        return message;
    }

    private List<JsonNode> activeThreads(String actor) {
        List<JsonNode> active = new ArrayList<>();
        for (JsonNode thread : envelopes.threadsOf(actor)) {
            if (EnvelopeServiceClient.isActiveParticipant(thread, actor)) {
                active.add(thread);
            }
        }
        return active;
    }

    /** The caller's own mailbox labels (spec §20.1) that file threads in folders, by thread id. */
    private Map<String, Set<String>> mailboxLabels(String actor) {
        Map<String, Set<String>> labels = new HashMap<>();
        for (MailFolder folder : MailFolder.values()) {
            if (folder.label() == null) {
                continue;
            }
            for (JsonNode thread : envelopes.threadsOf(actor, folder.label())) {
                labels.computeIfAbsent(thread.path("id").asString(), id -> new HashSet<>()).add(folder.label());
            }
        }
        return labels;
    }

    /**
     * The caller's mailbox labels on the thread, with the thread's own labels, which participants set for everyone
     * with {@code thread.update@v1} and the node sets on quarantine.
     */
    private static Set<String> labels(JsonNode thread, Map<String, Set<String>> mailbox) {
        Set<String> labels = new HashSet<>(mailbox.getOrDefault(thread.path("id").asString(), Set.of()));
        thread.path("labels").forEach(label -> labels.add(label.asString()));
        return labels;
    }
}
