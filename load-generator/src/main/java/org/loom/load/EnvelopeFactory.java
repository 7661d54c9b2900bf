package org.loom.load;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.time.Timestamps;

import tools.jackson.databind.node.ObjectNode;

/**
 * Builds and signs every envelope of a plan before the run starts, so that client-side Ed25519 signing (about
 * 10,000 a second per core) never limits the submission rate. The signed bodies are kept as bytes, ready to send.
 */
final class EnvelopeFactory {

    /** The words envelope texts are made of; searches look for them too. */
    static final List<String> WORDS = List.of(
            "draft", "review", "budget", "invoice", "schedule", "meeting", "release", "contract", "design", "report",
            "customer", "agent", "approval", "deadline", "migration", "incident", "roadmap", "quarter", "summary",
            "proposal", "estimate", "shipment", "renewal", "onboarding", "feedback", "priority", "sprint", "audit",
            "forecast", "handover", "workshop", "backlog");

    private final List<LoadIdentity> identities;
    private final List<String> recipientAddresses;
    private final int textBytes;
    private final long seed;

    /** Envelopes among {@code identities}: each recipient index names one of them. */
    EnvelopeFactory(List<LoadIdentity> identities, int textBytes, long seed) {
        this(identities, identities.stream().map(LoadIdentity::address).toList(), textBytes, seed);
    }

    /**
     * Envelopes from {@code identities} to {@code recipientAddresses}, both indexed as the plan indexes identities;
     * the federation scenario addresses identities of the peer node this way.
     */
    EnvelopeFactory(List<LoadIdentity> identities, List<String> recipientAddresses, int textBytes, long seed) {
        if (recipientAddresses.size() != identities.size()) {
            throw new IllegalArgumentException("one recipient address for every identity");
        }
        this.identities = List.copyOf(identities);
        this.recipientAddresses = List.copyOf(recipientAddresses);
        this.textBytes = textBytes;
        this.seed = seed;
    }

    /** Every envelope of the plan signed, indexed by its sequence number; uses every core. */
    byte[][] signAll(WorkloadPlan plan) {
        byte[][] bodies = new byte[plan.size()][];
        List<PlannedEnvelope> envelopes = plan.envelopes();
        IntStream.range(0, envelopes.size()).parallel()
                .forEach(index -> bodies[index] = LoomJson.writeBytes(sign(envelopes.get(index))));
        return bodies;
    }

    /** The signed envelope: a plain-text message from its sender to its recipients. */
    ObjectNode sign(PlannedEnvelope planned) {
        LoadIdentity from = identities.get(planned.sender());
        ObjectNode envelope = LoomJson.mapper().createObjectNode();
        envelope.put("loom", "1.1")
                .put("id", planned.id())
                .put("thread_id", planned.threadId())
                .put("parent_id", planned.parentId())
                .put("type", "message");
        envelope.putObject("from")
                .put("identity", from.address())
                .put("key_id", from.keyId())
                .put("type", "human");
        for (int recipient : planned.recipients()) {
            envelope.withArray("to").addObject()
                    .put("identity", recipientAddresses.get(recipient))
                    .put("role", "primary");
        }
        envelope.put("created_at", Timestamps.format(Instant.now()));
        ObjectNode content = envelope.putObject("content");
        content.putObject("human").put("text", text(planned.sequence())).put("format", "plaintext");
        content.put("encrypted", false);
        return EnvelopeSignatures.sign(envelope, from.key(), from.keyId());
    }

    /** Words drawn from {@link #WORDS}, about {@code textBytes} long, the same for a sequence number and seed. */
    String text(int sequence) {
        Random random = new Random(seed * 1_000_003L + sequence);
        StringBuilder text = new StringBuilder("load test");
        while (text.length() < textBytes) {
            text.append(' ').append(WORDS.get(random.nextInt(WORDS.size())));
        }
        return text.toString();
    }
}
