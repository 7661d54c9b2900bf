package org.loom.service.outbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.Ulid;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.JsonNode;

/**
 * The id of an outbox item queued by a request that carried an idempotency key: the same caller, key and body always
 * give the same id, so a retry of a request whose answer was lost finds the item the first one queued (and a race of
 * two copies ends in the primary key) instead of queueing a second delivery.
 */
public final class KeyedItemIds {

    private KeyedItemIds() {
    }

    /**
     * The id of an item that delivers {@code envelope}: timed by when this node received it (or, failing that, when
     * it says it was made), which is the same on every retry.
     */
    public static String forEnvelope(IdPrefix prefix, JsonNode envelope, String caller, String idempotencyKey,
            String body) {
        Instant at = Timestamps.parse(envelope.at("/meta/received_at").asString(""))
                .or(() -> Timestamps.parse(envelope.path("created_at").asString("")))
                .orElse(Instant.EPOCH);
        return of(prefix, at, caller, idempotencyKey, body);
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
