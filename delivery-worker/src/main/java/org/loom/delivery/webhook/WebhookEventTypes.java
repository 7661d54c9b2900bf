package org.loom.delivery.webhook;

import java.util.Set;

/**
 * The events a webhook can subscribe to: the reference node's audit actions for outbox outcomes and requeues, plus
 * the two thread events this node adds.
 */
public final class WebhookEventTypes {

    /** An envelope was stored in a thread (from {@code loom.envelope.events}). */
    public static final String ENVELOPE_ACCEPTED = "envelope.accepted";

    /** A thread operation was applied: an accepted envelope of type {@code thread_op}. */
    public static final String THREAD_UPDATED = "thread.updated";

    /** Audit actions that become webhook events, as in the reference node. */
    public static final Set<String> AUDIT_ACTIONS = Set.of(
            "email.outbox.process.delivered",
            "email.outbox.process.failed",
            "federation.outbox.process.delivered",
            "federation.outbox.process.failed",
            "email.outbox.requeue",
            "federation.outbox.requeue");

    private WebhookEventTypes() {
    }
}
