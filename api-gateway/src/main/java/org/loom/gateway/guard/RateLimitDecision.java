package org.loom.gateway.guard;

/**
 * The outcome of counting one request against a client's window.
 *
 * @param allowed whether the request is within the limit
 * @param limit requests allowed per window
 * @param remaining requests left in the current window after this one
 * @param resetAtMillis epoch milliseconds at which the current window ends
 * @param retryAfterMs how long a refused client should wait; at least 1
 */
public record RateLimitDecision(boolean allowed, int limit, int remaining, long resetAtMillis, long retryAfterMs) {
}
