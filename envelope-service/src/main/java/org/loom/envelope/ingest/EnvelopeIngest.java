package org.loom.envelope.ingest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.loom.envelope.blob.Blobs;
import org.loom.envelope.capability.CapabilityStore;
import org.loom.envelope.delegation.Delegations;
import java.util.Set;
import org.loom.envelope.audience.EnvelopeReaders;
import org.loom.envelope.mailbox.MailboxLabels;
import org.loom.envelope.node.NodeKey;
import org.loom.envelope.search.SearchIndex;
import org.loom.envelope.stored.EnvelopeStore;
import org.loom.envelope.stored.StoredEnvelope;
import org.loom.envelope.thread.Participants;
import org.loom.envelope.thread.ThreadRecord;
import org.loom.envelope.thread.ThreadStore;
import org.loom.envelope.thread.op.ThreadOperationOutcome;
import org.loom.envelope.thread.op.ThreadOperations;
import org.loom.envelope.thread.op.ThreadOperations.PreparedOperation;
import org.loom.protocol.envelope.BccSplit;
import org.loom.protocol.envelope.Envelope;
import org.loom.protocol.envelope.EnvelopeAudience;
import org.loom.protocol.envelope.EnvelopeValidator;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.CommandResult;
import org.loom.protocol.kafka.EnvelopeAccepted;
import org.loom.protocol.kafka.SubmitEnvelopeCommand;
import org.loom.protocol.kafka.Topics;
import org.loom.protocol.receipt.NodeReceipts;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.thread.ThreadDag;
import org.loom.protocol.thread.ThreadOpIntent;
import org.loom.protocol.thread.ThreadState;
import org.loom.protocol.time.Timestamps;
import org.loom.service.audit.AuditTrail;
import org.loom.service.messaging.OutboxEvents;
import org.loom.service.messaging.ProcessedMessages;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides envelope submissions: whether the envelope joins its thread, and with which {@code meta}.
 *
 * <p>The gateway has already checked the envelope's shape, its signature with a key of {@code from.identity}, the
 * sender type, and that the actor is the sender. What needs the node's state is decided here, in this order: a
 * duplicate id anywhere on the node; an agent's delegation chain (signatures, expiry, revocation, scope narrowing,
 * depth); a locked thread; a sender who is not an active participant; a thread operation on a thread that does not
 * exist; a blob reference its sender may not read; the operation's intent, authorisation (ownership or a capability
 * token), support and preconditions; a parent link that would close a cycle; and finally the operation's own rules.
 *
 * <p>Everything a decision changes commits in one transaction that holds the thread row's lock: the envelope, the
 * thread, its participants, the record that the command was processed, the {@link EnvelopeAccepted} event and the
 * reply. A refusal rolls all of that back and is then recorded, with its reply, by {@link #refuse}.
 *
 * <p>An envelope with Bcc recipients is stored as its visible form plus one bcc copy per Bcc recipient
 * ({@link BccSplit}), each with its own {@code event_seq}; the sender's signed original is kept for the sender.
 * Bcc recipients do not become participants. Each stored envelope is indexed for search and filed in mailboxes:
 * {@code sys.sent} for its sender, {@code sys.inbox} for each recipient who may read it ({@code sys.quarantine}
 * instead when the envelope is quarantined).
 */
@Service
public class EnvelopeIngest {

    private static final String COMMANDS = Topics.ENVELOPE_COMMANDS.name();
    /** The route the federation-service submits delivered envelopes under. */
    static final String FEDERATION_ROUTE = "/v1/federation/deliver";
    /** The route the email-bridge submits mail from outside under. */
    static final String EMAIL_INBOUND_ROUTE = "/v1/bridge/email/inbound";
    /** The label of threads that received envelopes from a node under quarantine. */
    static final String QUARANTINE_LABEL = "sys.quarantine";

    /** Refusals that are also security events for the audit chain: an actor reaching beyond its authority. */
    private static final Set<ErrorCode> SECURITY_REFUSALS =
            Set.of(ErrorCode.CAPABILITY_DENIED, ErrorCode.DELEGATION_INVALID, ErrorCode.SIGNATURE_INVALID);

    private final EnvelopeStore envelopes;
    private final ThreadStore threads;
    private final ThreadOperations operations;
    private final Delegations delegations;
    private final CapabilityStore capabilities;
    private final NodeRecordedOps recordedOps;
    private final ProcessedMessages processed;
    private final OutboxEvents outbox;
    private final CommandReplies replies;
    private final NodeSettings node;
    private final Clock clock;
    private final EnvelopeReaders readers;
    private final SearchIndex search;
    private final MailboxLabels mailbox;
    private final AuditTrail audit;
    private final NodeKey nodeKey;
    private final Blobs blobs;

    EnvelopeIngest(EnvelopeStore envelopes, ThreadStore threads, ThreadOperations operations, Delegations delegations,
            CapabilityStore capabilities, NodeRecordedOps recordedOps, ProcessedMessages processed,
            OutboxEvents outbox, CommandReplies replies, NodeSettings node, Clock clock,
            EnvelopeReaders readers, SearchIndex search, MailboxLabels mailbox, AuditTrail audit, NodeKey nodeKey,
            Blobs blobs) {
        this.envelopes = envelopes;
        this.threads = threads;
        this.operations = operations;
        this.delegations = delegations;
        this.capabilities = capabilities;
        this.recordedOps = recordedOps;
        this.processed = processed;
        this.outbox = outbox;
        this.replies = replies;
        this.node = node;
        this.clock = clock;
        this.readers = readers;
        this.search = search;
        this.mailbox = mailbox;
        this.audit = audit;
        this.nodeKey = nodeKey;
        this.blobs = blobs;
    }

    /**
     * Stores the command's envelope and queues the 201 reply carrying the stored envelope; empty when the command
     * was processed before (its reply is already queued).
     *
     * @throws LoomException the refusal; nothing is stored, and the caller records it with {@link #refuse}
     */
    @Transactional
    public Optional<CommandResult> submit(SubmitEnvelopeCommand command, ReplyAddress replyTo) {
        return submit(command, replyTo, null);
    }

    /**
     * {@link #submit(SubmitEnvelopeCommand, ReplyAddress)} for an envelope that came with an {@code X-LOOM-Capability}
     * header.
     *
     * @param presentedCapability the header's value, or {@code null}
     */
    @Transactional
    public Optional<CommandResult> submit(SubmitEnvelopeCommand command, ReplyAddress replyTo,
            String presentedCapability) {
        if (!processed.firstDelivery(command.messageId(), COMMANDS)) {
            return Optional.empty();
        }
        Envelope envelope = EnvelopeValidator.parse(command.envelope());
        String actor = command.actor();
        String threadId = envelope.threadId();
        String now = Timestamps.format(clock.instant());

        if (envelopes.exists(envelope.id())) {
            throw new LoomException(ErrorCode.ENVELOPE_DUPLICATE, "Envelope already exists: " + envelope.id(),
                    LoomException.details("envelope_id", envelope.id()));
        }
        boolean nodeReceipt = checkNodeAuthored(command, envelope);
        delegations.verifyChain(envelope);
        Optional<ThreadRecord> existing = threads.lock(threadId);
        if (existing.isEmpty() && envelope.isThreadOp()) {
            throw new LoomException(ErrorCode.THREAD_NOT_FOUND, "thread_op requires an existing thread: " + threadId,
                    LoomException.details("thread_id", threadId));
        }
        if (existing.isEmpty() && nodeReceipt) {
            throw new LoomException(ErrorCode.THREAD_NOT_FOUND, "A node receipt requires an existing thread: "
                    + threadId, LoomException.details("thread_id", threadId));
        }
        ThreadRecord thread = existing.orElseGet(() ->
                threads.lockOrOpen(ThreadRecord.opening(threadId, envelope.createdAt(), now)));
        boolean opening = thread.opening();
        Participants participants = opening
                ? Participants.ofNewThread(envelope.from().identity().toString(),
                        EnvelopeAudience.visibleRecipients(envelope), envelope.createdAt())
                : threads.participants(threadId);
        // The node reports on a thread without being one of its participants, and a locked thread still learns
        // what became of its deliveries.
        if (!opening && !nodeReceipt) {
            checkThreadAdmits(envelope, actor, thread, participants);
        }
        blobs.checkReferences(envelope.from().identity().toString(), envelope.json(),
                FEDERATION_ROUTE.equals(command.route()));
        PreparedOperation operation = envelope.isThreadOp()
                ? operations.prepare(envelope, actor, thread, participants, presentedCapability)
                : null;

        Optional<String> parentId = envelope.parentId();
        if (parentId.isPresent() && closesCycle(threadId, envelope.id(), parentId.get())) {
            throw LoomException.invalid("Thread DAG contains a cycle",
                    LoomException.details("thread_id", threadId, "envelope_id", envelope.id()));
        }
        boolean pendingParent = parentId.isPresent() && !envelopes.exists(parentId.get());

        ThreadRecord next = thread.withEnvelope(envelope.id(), parentId.isPresent(), now);
        Participants nextParticipants = participants;
        if (operation != null) {
            ThreadOperationOutcome outcome = operation.apply(next, participants);
            next = outcome.thread();
            nextParticipants = outcome.participants();
        }

        boolean quarantine = quarantined(command, envelope);
        if (quarantine && !next.labels().contains(QUARANTINE_LABEL)) {
            List<String> labels = new ArrayList<>(next.labels());
            labels.add(QUARANTINE_LABEL);
            next = next.withLabels(labels);
        }

        long eventSeq = next.eventSeqCounter();
        EnvelopeMeta meta = new EnvelopeMeta(node.id(), now, eventSeq, pendingParent);
        ObjectNode stored = markQuarantine(meta.stamp(envelope.json()), quarantine);
        Optional<BccSplit> split = BccSplit.of(envelope, () -> LoomIds.next(IdPrefix.ENVELOPE));
        Optional<Set<String>> restricted = EnvelopeAudience.restrictedReaders(envelope);
        store(envelope, envelope.id(),
                split.map(s -> markQuarantine(meta.stamp(s.visible()), quarantine)).orElse(stored), eventSeq, now,
                restricted, EnvelopeAudience.visibleRecipients(envelope), nextParticipants, quarantine);
        if (split.isPresent()) {
            readers.keepOriginal(envelope.id(), LoomJson.write(stored));
            for (BccSplit.BccCopy copy : split.get().copies()) {
                next = next.withEnvelope(copy.id(), parentId.isPresent(), now);
                long copySeq = next.eventSeqCounter();
                ObjectNode copyStored = markQuarantine(
                        new EnvelopeMeta(node.id(), now, copySeq, pendingParent).stamp(copy.json()), quarantine);
                store(envelope, copy.id(), copyStored, copySeq, now,
                        Optional.of(Set.of(envelope.from().identity().toString(), copy.recipient())),
                        Set.of(copy.recipient()), nextParticipants, quarantine);
            }
        }
        if (operation != null) {
            next = spendSingleUse(operation, next, now);
        }
        threads.update(next);
        if (opening) {
            threads.addParticipants(threadId, nextParticipants.members());
        } else if (!nextParticipants.equals(participants)) {
            threads.replaceParticipants(threadId, nextParticipants.members());
        }
        ObjectNode ingested = AuditTrail.payload();
        ingested.put("envelope_id", envelope.id());
        ingested.put("thread_id", threadId);
        ingested.put("type", envelope.type());
        ingested.put("actor", actor);
        audit.record("envelope.ingest", ingested);
        return Optional.of(replies.success(command.correlationId(), replyTo, 201, stored));
    }

    /**
     * Records a refused command as processed and queues its error reply; empty when the command was processed
     * before.
     */
    @Transactional
    public Optional<CommandResult> refuse(SubmitEnvelopeCommand command, ReplyAddress replyTo,
            LoomException refusal) {
        Optional<CommandResult> result =
                refuse(command.messageId(), command.correlationId(), replyTo, refusal);
        if (result.isPresent() && SECURITY_REFUSALS.contains(refusal.code())) {
            ObjectNode violation = AuditTrail.payload();
            violation.put("envelope_id", command.envelope().path("id").asString(null));
            violation.put("thread_id", command.envelope().path("thread_id").asString(null));
            violation.put("code", refusal.code().name());
            violation.put("reason", refusal.getMessage());
            violation.put("actor", command.actor());
            audit.record("security.scope_violation", violation);
        }
        return result;
    }

    /** {@link #refuse(SubmitEnvelopeCommand, ReplyAddress, LoomException)} for any command awaiting an answer. */
    @Transactional
    public Optional<CommandResult> refuse(String messageId, String correlationId, ReplyAddress replyTo,
            LoomException refusal) {
        if (!processed.firstDelivery(messageId, COMMANDS)) {
            return Optional.empty();
        }
        return Optional.of(replies.refusal(correlationId, replyTo, refusal));
    }

    /**
     * Gives up on a command that kept failing for a reason that is not a protocol refusal: records it as processed
     * and answers {@code INTERNAL_ERROR}, so the waiting client is not left without an answer.
     */
    @Transactional
    public Optional<CommandResult> giveUp(String messageId, String correlationId, ReplyAddress replyTo) {
        if (!processed.firstDelivery(messageId, COMMANDS)) {
            return Optional.empty();
        }
        return Optional.of(replies.internalError(correlationId, replyTo));
    }

    /**
     * A single-use token is spent by its first successful use (spec §12.5): marked spent and recorded in the thread
     * as a {@code capability.spent@v1} operation right after the operation that used it.
     */
    private ThreadRecord spendSingleUse(PreparedOperation operation, ThreadRecord thread, String now) {
        if (operation.capability().isEmpty() || !operation.capability().get().token().singleUse()) {
            return thread;
        }
        String capabilityId = operation.capability().get().id();
        if (!capabilities.spend(capabilityId, now)) {
            return thread;
        }
        ObjectNode parameters = LoomJson.mapper().createObjectNode();
        parameters.put("capability_id", capabilityId);
        parameters.put("envelope_id", operation.envelope().id());
        return recordedOps.record(thread, ThreadOpIntent.CAPABILITY_SPENT.wireName(), parameters,
                operation.actor());
    }

    /**
     * Stores one envelope in the form its readers see, limits it to its restricted readers, indexes it, files it in
     * the sender's and the readable recipients' mailboxes, and announces it.
     */
    private void store(Envelope sent, String id, ObjectNode json, long eventSeq, String now,
            Optional<Set<String>> restricted, Set<String> recipients, Participants participants,
            boolean quarantine) {
        String threadId = sent.threadId();
        String sender = sent.from().identity().toString();
        envelopes.insert(new StoredEnvelope(id, threadId, sent.parentId(), sent.type(), sender, sent.createdAt(),
                sent.createdAtInstant().toEpochMilli(), now, eventSeq, LoomJson.write(json)));
        restricted.ifPresent(readersOf -> readers.restrict(id, threadId, readersOf));
        search.index(json);
        if (!sent.isThreadOp()) {
            List<String> readingRecipients = recipients.stream()
                    .filter(recipient -> restricted.map(readersOf -> readersOf.contains(recipient))
                            .orElseGet(() -> participants.isActive(recipient)))
                    .toList();
            mailbox.filed(threadId, sender, readingRecipients, quarantine);
        }
        outbox.append(Topics.ENVELOPE_EVENTS, threadId,
                new EnvelopeAccepted(LoomIds.next(IdPrefix.EVENT), threadId, id, eventSeq, json));
    }

    /**
     * Records in {@code meta.quarantined} whether this node quarantined the envelope, so whoever submitted it (the
     * email-bridge answering an MTA) learns what was done rather than what was asked. Only {@code true} is written;
     * a value the sender put there is never kept.
     */
    private static ObjectNode markQuarantine(ObjectNode stored, boolean quarantine) {
        ObjectNode meta = (ObjectNode) stored.get("meta");
        if (quarantine) {
            meta.put("quarantined", true);
        } else {
            meta.remove("quarantined");
        }
        return stored;
    }

    /**
     * The rule for envelopes written as the node itself: they are receipts the node's own services submit under
     * {@link NodeReceipts#SUBMIT_ROUTE}, signed with the node key. Anything else sent as the node identity, or
     * submitted under that route, is refused, whoever registered an identity of that name and whatever route a
     * request claimed. Only the node holds the key, so a stored node receipt cannot be forged; replaying one is a
     * duplicate.
     *
     * @return true for a node receipt
     */
    private boolean checkNodeAuthored(SubmitEnvelopeCommand command, Envelope envelope) {
        boolean fromNode = nodeKey.identity().equals(envelope.from().identity().toString());
        boolean receiptRoute = NodeReceipts.SUBMIT_ROUTE.equals(command.route());
        if (!fromNode && !receiptRoute) {
            return false;
        }
        if (!fromNode || !receiptRoute || !nodeKey.identity().equals(command.actor())) {
            throw LoomException.capabilityDenied("Only the node writes as the node identity, and only its receipts",
                    LoomException.details("identity", envelope.from().identity().toString()));
        }
        String intent = envelope.json().at("/content/structured/intent").asString("");
        if (!"receipt".equals(envelope.type()) || !intent.startsWith(NodeReceipts.INTENT_PREFIX)) {
            throw LoomException.capabilityDenied("The node identity only writes receipt envelopes",
                    LoomException.details("type", envelope.type(), "intent", intent));
        }
        if (!nodeKey.keyId().equals(envelope.signatureKeyId())
                || !EnvelopeSignatures.verify(envelope.json(), nodeKey.verifyingKey())) {
            throw LoomException.signatureInvalid("A node receipt must be signed with the node key",
                    LoomException.details("field", "signature", "envelope_id", envelope.id()));
        }
        return true;
    }

    /**
     * True for an envelope the federation-service delivered from a node under quarantine policy (only that service
     * submits on the federation route, and it sets {@code meta.federation} itself, replacing whatever the sender put
     * there), or for mail the receiving MTA flagged (spam, failed checks), which only the email-bridge submits on
     * its inbound route.
     */
    private static boolean quarantined(SubmitEnvelopeCommand command, Envelope envelope) {
        if (EMAIL_INBOUND_ROUTE.equals(command.route())) {
            return envelope.json().path("meta").path("bridge").path("quarantine").asBoolean(false);
        }
        return FEDERATION_ROUTE.equals(command.route())
                && "quarantine".equals(envelope.json().path("meta").path("federation").path("policy").asString(""));
    }

    private static void checkThreadAdmits(Envelope envelope, String actor, ThreadRecord thread,
            Participants participants) {
        if (envelope.isThreadOp()) {
            return;
        }
        if (thread.state() == ThreadState.LOCKED) {
            throw new LoomException(ErrorCode.THREAD_LOCKED, "Thread is locked: " + thread.id(),
                    LoomException.details("thread_id", thread.id()));
        }
        if (!participants.isActive(actor)) {
            throw LoomException.capabilityDenied("Sender is not an active participant of the thread",
                    LoomException.details("thread_id", thread.id(), "actor", actor));
        }
    }

    /**
     * A cycle needs an envelope of the thread that already names the new one as its parent (it arrived before its
     * parent), or a self-parent; only then is the thread's parent map loaded and walked.
     */
    private boolean closesCycle(String threadId, String envelopeId, String parentId) {
        if (!parentId.equals(envelopeId) && !envelopes.hasChildIn(threadId, envelopeId)) {
            return false;
        }
        return ThreadDag.wouldCreateCycle(envelopes.parentLinks(threadId), envelopeId, parentId);
    }
}
