package org.loom.email.attachment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.loom.email.config.EmailSettings;
import org.loom.email.envelope.EnvelopeServiceClient;
import org.loom.email.parse.MimeAttachment;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Email attachments as blobs of the envelope-service (spec §16.7), in both directions.
 *
 * <p>Inbound, each MIME attachment becomes a blob owned by the identity that sends the envelope, with no thread: the
 * envelope that attaches it (by {@code blob_id}) is what lets the thread's participants read it, as the blob read
 * rule grants every identity that may read a thread referring to the blob. Outbound, the blobs an envelope attaches
 * are read as the identity that has the email sent, so the mail carries only what that identity may read.
 */
@Component
public class AttachmentBlobs {

    /** Bytes per uploaded part: well inside any request body limit once base64-encoded. */
    static final int PART_BYTES = 1024 * 1024;

    private final EnvelopeServiceClient envelopes;
    private final EmailSettings settings;

    public AttachmentBlobs(EnvelopeServiceClient envelopes, EmailSettings settings) {
        this.envelopes = envelopes;
        this.settings = settings;
    }

    /**
     * Refuses attachments over the configured limits before anything is stored.
     *
     * @throws LoomException {@code 413 PAYLOAD_TOO_LARGE} naming the limit that was exceeded
     */
    public void checkLimits(List<MimeAttachment> files) {
        if (files.size() > settings.maxAttachments()) {
            throw new LoomException(ErrorCode.PAYLOAD_TOO_LARGE, "Email carries " + files.size()
                    + " attachments; at most " + settings.maxAttachments() + " are accepted",
                    LoomException.details("attachments", files.size(), "max_attachments", settings.maxAttachments()));
        }
        for (MimeAttachment file : files) {
            if (file.size() > settings.maxAttachmentBytes()) {
                throw new LoomException(ErrorCode.PAYLOAD_TOO_LARGE, "Attachment " + file.filename() + " has "
                        + file.size() + " bytes; at most " + settings.maxAttachmentBytes() + " are accepted",
                        LoomException.details("filename", file.filename(), "size_bytes", file.size(),
                                "max_attachment_bytes", settings.maxAttachmentBytes()));
            }
        }
    }

    /**
     * Stores each file as a complete blob owned by {@code owner} and answers the envelope's {@code attachments}
     * entries for them, in order.
     */
    public ArrayNode store(List<MimeAttachment> files, String owner) {
        checkLimits(files);
        ArrayNode attachments = LoomJson.mapper().createArrayNode();
        for (MimeAttachment file : files) {
            if (file.size() == 0) {
                // A blob holds at least one byte; an empty file carries nothing worth keeping.
                continue;
            }
            ObjectNode creation = LoomJson.mapper().createObjectNode();
            creation.put("filename", file.filename());
            creation.put("mime_type", file.contentType());
            creation.put("size_bytes", file.size());
            String blobId = envelopes.createBlob(owner, creation).path("blob_id").asString();
            byte[] data = file.data();
            for (int offset = 0, part = 1; offset < data.length; offset += PART_BYTES, part++) {
                envelopes.putBlobPart(blobId, part,
                        Arrays.copyOfRange(data, offset, Math.min(data.length, offset + PART_BYTES)), owner);
            }
            JsonNode completed = envelopes.completeBlob(blobId, owner);
            ObjectNode entry = attachments.addObject();
            entry.put("id", LoomIds.next(IdPrefix.ATTACHMENT));
            entry.put("filename", file.filename());
            entry.put("mime_type", file.contentType());
            entry.put("size_bytes", completed.path("size_bytes").asLong(file.size()));
            entry.put("hash", completed.path("hash").asString());
            entry.put("blob_id", blobId);
            entry.put("inline", file.inline());
        }
        return attachments;
    }

    /**
     * The files an envelope attaches, read as {@code actor}; an attachment without a blob id is left out. A blob the
     * actor may not read, or one that is missing, fails the whole read, so no email goes out with part of its
     * attachments silently dropped.
     */
    public List<MimeAttachment> fetch(JsonNode attachments, String actor) {
        List<MimeAttachment> files = new ArrayList<>();
        for (JsonNode attachment : attachments) {
            String blobId = attachment.path("blob_id").asString("");
            if (blobId.isEmpty()) {
                continue;
            }
            JsonNode blob = envelopes.blob(blobId, actor);
            if (!blob.path("data_base64").isString()) {
                throw new LoomException(ErrorCode.STATE_TRANSITION_INVALID, "Attached blob is not complete: " + blobId,
                        LoomException.details("blob_id", blobId));
            }
            byte[] data = Base64.getDecoder().decode(blob.get("data_base64").stringValue());
            String filename = text(attachment, "filename", text(blob, "filename", blobId));
            String type = text(attachment, "mime_type", text(blob, "mime_type", "application/octet-stream"));
            files.add(new MimeAttachment(filename, type, data, attachment.path("inline").asBoolean(false)));
        }
        return files;
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.path(field);
        return value.isString() && !value.stringValue().isBlank() ? value.stringValue() : fallback;
    }
}
