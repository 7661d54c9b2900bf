package org.loom.gateway.identity;

import java.util.LinkedHashMap;
import java.util.Map;
import org.loom.protocol.crypto.VerifyingKey;

/**
 * Public keys already read from their stored PEM, most recently used kept. Every signed submission looks up its
 * sender's keys, and reading a PEM (base64, DER, decoding the curve point) costs more than the database row it came
 * from. A PEM always names the same key, so an entry is never stale; only the size is bounded.
 */
final class ParsedKeys {

    private final Map<String, VerifyingKey> byPem;

    ParsedKeys(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.byPem = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VerifyingKey> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The key the SPKI PEM names, read once while it stays among the most recently used. */
    VerifyingKey fromSpkiPem(String pem) {
        synchronized (byPem) {
            VerifyingKey known = byPem.get(pem);
            if (known != null) {
                return known;
            }
        }
        // Parsed outside the lock: two threads may both parse a new key, and both get equal keys.
        VerifyingKey parsed = VerifyingKey.fromSpkiPem(pem);
        synchronized (byPem) {
            byPem.put(pem, parsed);
        }
        return parsed;
    }

    int size() {
        synchronized (byPem) {
            return byPem.size();
        }
    }
}
