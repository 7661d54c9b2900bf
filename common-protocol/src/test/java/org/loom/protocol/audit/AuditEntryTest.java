package org.loom.protocol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.node.ObjectNode;

class AuditEntryTest {

    @Test
    void hashCoversTheEntryInItsFixedKeyOrderWithThePayloadAsWritten() {
        ObjectNode payload = LoomJson.mapper().createObjectNode().put("z", 1).put("a", "two");

        AuditEntry entry = AuditEntry.next(null, "evt_1", "2026-01-01T00:00:00.000Z", "identity.register", payload);

        assertThat(entry.hashedText()).isEqualTo("{\"event_id\":\"evt_1\",\"timestamp\":\"2026-01-01T00:00:00.000Z\","
                + "\"action\":\"identity.register\",\"payload\":{\"z\":1,\"a\":\"two\"},\"prev_hash\":null}");
        assertThat(entry.hash()).isEqualTo(Sha256.hex(entry.hashedText())).matches("[0-9a-f]{64}");
        assertThat(List.copyOf(entry.toJson().propertyNames())).containsExactly("event_id", "timestamp", "action",
                "payload", "prev_hash", "hash");
    }

    @Test
    void verificationNamesAlteredTextAndABrokenLink() {
        AuditEntry first = AuditEntry.next(null, "evt_1", "t1", "a", null);
        AuditEntry second = AuditEntry.next(first.hash(), "evt_2", "t2", "b", null);

        assertThat(first.brokenAfter(null)).isEmpty();
        assertThat(second.brokenAfter(first.hash())).isEmpty();
        assertThat(second.brokenAfter("other")).contains("prev_hash_mismatch");
        AuditEntry altered = new AuditEntry(second.hashedText().replace("\"b\"", "\"c\""), second.hash());
        assertThat(altered.brokenAfter(first.hash())).contains("hash_mismatch");
    }
}
