package org.loom.service.outbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.Ulid;

/**
 * The id of an outbox item queued by a request that carried an idempotency key: the same caller, key and body always
 * give the same id, so a retry of a request whose answer was lost finds the item the first one queued (and a race of
 * two copies ends in the primary key) instead of queueing a second delivery.
 */
public final class KeyedItemIds {

    private KeyedItemIds() {
    }

    /**
     * @param at   a time belonging to what is queued, the same on every retry (so items still sort roughly by age)
     * @param body the request body as the caller sent it, in a fixed form
     */
    public static String of(IdPrefix prefix, Instant at, String caller, String idempotencyKey, String body) {
        String seed = caller + "\n" + idempotencyKey + "\n" + body;
        ByteBuffer digest = ByteBuffer.wrap(Sha256.digest(seed.getBytes(StandardCharsets.UTF_8)));
        return prefix.format(new Ulid(Math.max(0, at.toEpochMilli()), digest.getShort() & 0xFFFF,
                digest.getLong()));
    }
}
