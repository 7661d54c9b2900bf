package org.loom.service.outbox;

/**
 * A real destination an outbox contract test controls: an HTTP receiver, a mail server, a second node. What "accept",
 * "fail" and "hang" mean is the kind's business; the contract only needs the three behaviours and a count of the
 * deliveries the destination took.
 */
public interface OutboxDestination extends AutoCloseable {

    /** From now on, deliveries succeed. */
    void accept();

    /** From now on, deliveries fail in a way the kind retries (an error answer, a refused connection). */
    void fail();

    /** From now on, deliveries get no answer until the destination is closed or set to another behaviour. */
    void hang();

    /** How many times the destination took the item with this id (successful deliveries only). */
    int taken(String itemId);

    @Override
    void close();
}
