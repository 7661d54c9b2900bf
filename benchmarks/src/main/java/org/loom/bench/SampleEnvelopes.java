package org.loom.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.signature.EnvelopeSignatures;
import org.loom.protocol.thread.DagNode;
import org.loom.protocol.time.Timestamps;

import tools.jackson.databind.node.ObjectNode;

/** Inputs shared by the benchmarks: a typical signed envelope of about 1 KB, and large threads. */
final class SampleEnvelopes {

    static final String KEY_ID = "k_sign_bench_1";

    private SampleEnvelopes() {
    }

    /** An unsigned message envelope of roughly 1 KB with human text and a structured intent with parameters. */
    static ObjectNode typicalUnsigned() {
        String text = "Hi Bob, following up on the invoice for the February consulting work. The total is 4,250.00 EUR "
                + "as agreed; the PDF is attached and the purchase order number is PO-2026-0211. Could you confirm "
                + "that it has been forwarded to accounts payable, and tell me the expected payment date? Thanks.";
        String json = """
                {"loom":"1.1","id":"%s","thread_id":"%s","parent_id":null,"type":"message",
                 "from":{"identity":"loom://alice@node.test","display":"Alice Example","key_id":"%s","type":"human"},
                 "to":[{"identity":"loom://bob@node.test","role":"primary"},{"identity":"loom://carol@node.test","role":"cc"}],
                 "created_at":"2026-02-16T20:00:00.000Z","priority":"normal",
                 "content":{"human":{"text":"%s","format":"markdown","locale":"en"},
                   "structured":{"intent":"message.general@v1","parameters":{"invoice_id":"INV-2026-0042",
                     "amount":4250.0,"currency":"EUR","due":"2026-03-15","items":[1,2.5,-0.125,1e21],"urgent":false}},
                   "encrypted":false},
                 "attachments":[],"labels":["finance","q1-2026"]}
                """.formatted(LoomIds.next(IdPrefix.ENVELOPE), LoomIds.next(IdPrefix.THREAD), KEY_ID, text);
        return (ObjectNode) LoomJson.parse(json);
    }

    static ObjectNode typicalSigned(SigningKey key) {
        return EnvelopeSignatures.sign(typicalUnsigned(), key, KEY_ID);
    }

    /**
     * A thread of {@code size} envelopes shaped like a busy conversation: a few roots, mostly replies to recent
     * envelopes, some replies deep in the past, timestamps with ties, shuffled into arrival order.
     */
    static List<DagNode> thread(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Instant start = Instant.parse("2026-02-16T20:00:00Z");
        List<DagNode> nodes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String id = LoomIds.next(IdPrefix.ENVELOPE);
            String parent = null;
            if (i > 0 && random.nextInt(100) >= 2) {
                int back = random.nextInt(100) < 80 ? random.nextInt(Math.min(i, 20)) : random.nextInt(i);
                parent = nodes.get(i - 1 - back).id();
            }
            String createdAt = Timestamps.format(start.plusMillis(i * 250L + random.nextInt(3)));
            nodes.add(DagNode.of(id, parent, createdAt));
        }
        for (int i = nodes.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            DagNode swap = nodes.get(i);
            nodes.set(i, nodes.get(j));
            nodes.set(j, swap);
        }
        return nodes;
    }
}
