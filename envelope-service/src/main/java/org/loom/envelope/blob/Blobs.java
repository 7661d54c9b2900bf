package org.loom.envelope.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.loom.envelope.thread.ThreadRecord;
import org.loom.envelope.thread.ThreadStore;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.time.Timestamps;
import org.loom.service.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The blob lifecycle: create, upload parts, complete, read. Every change locks the blob row and writes its bytes to
 * the {@link BlobStore} before the row that acknowledges them commits.
 *
 * <p>Who may do what: a blob tied to a thread may be created only by an active participant of that thread. Parts and
 * completion are for the creator and the active participants of the blob's thread. Reading is for the creator and for
 * everyone who may read a thread that refers to the blob: a participant of its own thread, or a reader of an envelope
 * attaching it. Because attaching grants reading, an envelope may attach only what its sender may read
 * ({@link #checkReferences}).
 */
@Service
public class Blobs {

    private static final Logger log = LoggerFactory.getLogger(Blobs.class);
    private static final String DEFAULT_MIME_TYPE = "application/octet-stream";

    private final BlobRepository repository;
    private final BlobStore store;
    private final ThreadStore threads;
    private final AuditTrail audit;
    private final BlobSettings settings;
    private final Clock clock;

    Blobs(BlobRepository repository, BlobStore store, ThreadStore threads, AuditTrail audit, BlobSettings settings,
            ObjectProvider<Clock> clock) {
        this.repository = repository;
        this.store = store;
        this.threads = threads;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** What {@code POST /v1/blobs} asks for. */
    record Creation(Optional<String> threadId, Optional<String> filename, Optional<String> mimeType,
            long declaredSizeBytes) {
    }

    @Transactional
    public String create(String actor, Creation creation) {
        if (creation.declaredSizeBytes() < 0) {
            throw LoomException.invalid("size_bytes must not be negative",
                    LoomException.details("field", "size_bytes"));
        }
        if (creation.declaredSizeBytes() > settings.maxBytes()) {
            throw tooLarge();
        }
        creation.threadId().ifPresent(threadId -> {
            ThreadRecord thread = threads.find(threadId).filter(found -> !found.opening())
                    .orElseThrow(() -> new LoomException(ErrorCode.THREAD_NOT_FOUND, "Thread not found: " + threadId,
                            LoomException.details("thread_id", threadId)));
            if (!threads.participants(thread.id()).isActive(actor)) {
                throw LoomException.capabilityDenied("Only active thread participants can attach blobs to a thread",
                        LoomException.details("thread_id", threadId));
            }
        });
        String id = LoomIds.next(IdPrefix.BLOB);
        repository.insert(new BlobRecord(id, actor, creation.threadId(), creation.filename(),
                creation.mimeType().filter(type -> !type.isEmpty()).orElse(DEFAULT_MIME_TYPE),
                creation.declaredSizeBytes(), BlobRecord.PENDING, Optional.empty(), Timestamps.now(clock),
                Optional.empty()));
        ObjectNode payload = AuditTrail.payload();
        payload.put("blob_id", id).put("actor", actor).put("thread_id", creation.threadId().orElse(null));
        audit.record("blob.create", payload);
        return id;
    }

    @Transactional
    public void putPart(String actor, String blobId, int partNumber, String dataBase64) {
        if (partNumber < 1 || partNumber > settings.maxParts()) {
            throw LoomException.invalid("Part number must be an integer between 1 and " + settings.maxParts(),
                    LoomException.details("field", "part_number", "max_parts", settings.maxParts()));
        }
        BlobRecord blob = lockWritable(actor, blobId);
        if (blob.complete()) {
            throw new LoomException(ErrorCode.STATE_TRANSITION_INVALID, "Blob is already complete",
                    LoomException.details("blob_id", blobId, "status", blob.status()));
        }
        byte[] data = decode(dataBase64);
        if (repository.partBytesExcept(blobId, partNumber) + data.length > settings.maxBytes()) {
            throw tooLarge();
        }
        run(() -> store.writePart(blobId, partNumber, data));
        repository.putPart(blobId, partNumber, data.length);
        ObjectNode payload = AuditTrail.payload();
        payload.put("blob_id", blobId).put("part_number", partNumber).put("actor", actor);
        audit.record("blob.part.put", payload);
    }

    /** Assembles the parts; a blob already complete is answered as it is. */
    @Transactional
    public BlobRecord complete(String actor, String blobId) {
        BlobRecord blob = lockWritable(actor, blobId);
        if (blob.complete()) {
            return blob;
        }
        List<Integer> parts = repository.partNumbers(blobId);
        if (parts.isEmpty()) {
            throw LoomException.invalid("Blob has no uploaded parts", LoomException.details("blob_id", blobId));
        }
        BlobStore.Written written = call(() -> store.assemble(blobId, parts));
        String hash = "sha256:" + written.sha256Hex();
        repository.complete(blobId, written.sizeBytes(), hash, Timestamps.now(clock));
        ObjectNode payload = AuditTrail.payload();
        payload.put("blob_id", blobId).put("actor", actor).put("size_bytes", written.sizeBytes());
        audit.record("blob.complete", payload);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                try {
                    store.discardParts(blobId);
                } catch (IOException e) {
                    // Only space is lost: the content is assembled and the parts are never read again.
                    log.warn("Could not remove the parts of completed blob {}: {}", blobId, e.toString());
                }
            }
        });
        return repository.find(blobId).orElseThrow();
    }

    /** The blob as {@code GET /v1/blobs/{id}} returns it. */
    public ObjectNode read(String actor, String blobId) {
        BlobRecord blob = repository.find(BlobIds.require(blobId)).orElseThrow(() -> BlobIds.notFound(blobId));
        if (!mayRead(actor, blob)) {
            throw denied(blobId);
        }
        String data = blob.complete() ? Base64.getEncoder().encodeToString(call(() -> store.read(blobId))) : null;
        return blob.toJson(data);
    }

    /**
     * Refuses an envelope that refers to a blob its sender may not read. Attaching a blob grants it to every reader
     * of the thread (the read rule above), so without this check knowing a blob's id would be enough to have it
     * shared. Every {@code blob_id} field anywhere in the envelope counts as a reference, because the read rule
     * finds references by that field wherever it is. An {@code attachments} entry must name a blob that exists, and
     * the {@code hash} and {@code size_bytes} it states must be the blob's, so readers can trust them.
     *
     * @param sender           the envelope's {@code from.identity}
     * @param envelope         the envelope as submitted
     * @param fromAnotherNode  true for envelopes delivered by federation: their attachments name blobs kept by the
     *                         sending node, so an id unknown here is not refused (one known here still is checked)
     * @throws LoomException {@code CAPABILITY_DENIED} for a blob the sender may not read (or, from this node, one
     *                       that does not exist); {@code ENVELOPE_INVALID} for a hash or size that does not match
     */
    @Transactional(readOnly = true)
    public void checkReferences(String sender, JsonNode envelope, boolean fromAnotherNode) {
        JsonNode attachments = envelope.path("attachments");
        Set<JsonNode> entries = Collections.newSetFromMap(new IdentityHashMap<>());
        attachments.forEach(entries::add);
        for (JsonNode holder : referenceHolders(envelope)) {
            String blobId = holder.get("blob_id").stringValue();
            boolean attachment = entries.contains(holder);
            Optional<BlobRecord> found = LoomIds.isValid(IdPrefix.BLOB, blobId)
                    ? repository.find(blobId)
                    : Optional.empty();
            if (found.isEmpty()) {
                // A text that names no blob here can never match one (ids are made by this node), so it grants
                // nothing; an attachment from this node's own sender that names nothing is still a mistake.
                if (attachment && !fromAnotherNode) {
                    throw denied(blobId);
                }
                continue;
            }
            BlobRecord blob = found.get();
            if (!mayRead(sender, blob)) {
                throw denied(blobId);
            }
            if (attachment) {
                checkStatedContent(holder, blob);
            }
        }
    }

    private static void checkStatedContent(JsonNode attachment, BlobRecord blob) {
        JsonNode hash = attachment.path("hash");
        JsonNode size = attachment.path("size_bytes");
        boolean statesHash = hash.isString() && !hash.stringValue().isEmpty();
        boolean statesSize = size.isNumber();
        if (!statesHash && !statesSize) {
            return;
        }
        if (!blob.complete()) {
            throw LoomException.invalid("Attachment states a hash or size for a blob that is not complete",
                    LoomException.details("blob_id", blob.id(), "status", blob.status()));
        }
        if (statesHash && !hash.stringValue().equalsIgnoreCase(blob.hash().orElse(""))) {
            throw LoomException.invalid("Attachment hash does not match the blob",
                    LoomException.details("blob_id", blob.id(), "field", "hash"));
        }
        if (statesSize && size.asLong() != blob.sizeBytes()) {
            throw LoomException.invalid("Attachment size_bytes does not match the blob",
                    LoomException.details("blob_id", blob.id(), "field", "size_bytes"));
        }
    }

    /** Every object in the tree with a text {@code blob_id} field. */
    private static List<JsonNode> referenceHolders(JsonNode root) {
        List<JsonNode> holders = new ArrayList<>();
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isObject() && node.path("blob_id").isString()) {
                holders.add(node);
            }
            if (node.isContainer()) {
                for (JsonNode child : node) {
                    pending.push(child);
                }
            }
        }
        return holders;
    }

    private boolean mayRead(String identity, BlobRecord blob) {
        return blob.createdBy().equals(identity)
                || blob.threadId().map(thread -> threads.hasEverParticipated(thread, identity)).orElse(false)
                || repository.referencedInEnvelopeReadableBy(blob.id(), identity);
    }

    private BlobRecord lockWritable(String actor, String blobId) {
        BlobRecord blob = repository.lock(BlobIds.require(blobId)).orElseThrow(() -> BlobIds.notFound(blobId));
        boolean allowed = blob.createdBy().equals(actor)
                || blob.threadId().map(thread -> threads.participants(thread).isActive(actor)).orElse(false);
        if (!allowed) {
            throw denied(blobId);
        }
        return blob;
    }

    private static byte[] decode(String dataBase64) {
        if (dataBase64 == null || dataBase64.isEmpty()) {
            throw LoomException.invalid("data_base64 must be a non-empty string",
                    LoomException.details("field", "data_base64"));
        }
        try {
            // Standard and URL-safe alphabets, with or without padding, line breaks ignored.
            return Base64.getMimeDecoder().decode(dataBase64.replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw LoomException.invalid("data_base64 is not valid base64",
                    LoomException.details("field", "data_base64"));
        }
    }

    private LoomException tooLarge() {
        return new LoomException(ErrorCode.PAYLOAD_TOO_LARGE, "Blob exceeds " + settings.maxBytes() + " bytes",
                LoomException.details("max_blob_bytes", settings.maxBytes()));
    }

    private static LoomException denied(String blobId) {
        return LoomException.capabilityDenied("Not allowed to access this blob",
                LoomException.details("blob_id", blobId));
    }

    private interface StoreAction<T> {
        T run() throws IOException;
    }

    private interface StoreWrite {
        void run() throws IOException;
    }

    private static <T> T call(StoreAction<T> action) {
        try {
            return action.run();
        } catch (IOException e) {
            throw new UncheckedIOException("blob store failure", e);
        }
    }

    private static void run(StoreWrite action) {
        call(() -> {
            action.run();
            return null;
        });
    }
}
