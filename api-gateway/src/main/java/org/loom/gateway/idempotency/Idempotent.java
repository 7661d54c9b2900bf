package org.loom.gateway.idempotency;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler method whose requests honour an {@code Idempotency-Key}: the first answer to a key is stored in the
 * gateway database and replayed to every retry with the same request, whichever replica receives it.
 *
 * <p>Only successful answers are kept (and the late outcome of a command whose decision timed out); a request that
 * fails releases its key, so a retry runs it again. A key reused with a different request is a 409
 * {@code IDEMPOTENCY_CONFLICT}.
 *
 * <p>Keys are scoped by caller, method and path. By default the caller must present a bearer token before the key is
 * looked at; {@link #anonymous()} admits callers without one, who then share one scope per method and path.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Idempotent {

    /**
     * Whether a request without a bearer token may use an idempotency key (its scope is then
     * {@code anonymous:<METHOD>:<path>}). When false, a missing or invalid token is reported before the key is
     * considered.
     */
    boolean anonymous() default false;

    /**
     * Whether the handler's command may be submitted again when its first submission was never decided: true only
     * where the envelope-service refuses a second copy by an id the client chose (an envelope's id), so a command
     * that did reach it is stored once whatever happens. A retry then finds the key free again once the claim has
     * waited {@code loom.idempotency.abandoned-command-after} for a decision; without it, a replica killed between
     * noting the command and publishing it would leave the key undecided until it expires.
     */
    boolean resubmittable() default false;
}
