package org.loom.gateway.guard;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.service.web.ProtocolErrorResponses;
import org.loom.service.web.RequestIds;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts every request against its client's window before it is routed, so unknown routes are limited too. Every
 * response in a limited bucket carries the {@code X-LOOM-RateLimit-*} headers; a request over the limit is answered
 * 429 {@code RATE_LIMIT_EXCEEDED} with {@code Retry-After}.
 */
public class RateLimitFilter extends OncePerRequestFilter {

    public static final String LIMIT_HEADER = "X-LOOM-RateLimit-Limit";
    public static final String REMAINING_HEADER = "X-LOOM-RateLimit-Remaining";
    /** Unix time, in seconds, at which the current window ends. */
    public static final String RESET_HEADER = "X-LOOM-RateLimit-Reset";

    private final FixedWindowRateLimiter limiter;
    private final ClientAddresses clients;

    public RateLimitFilter(FixedWindowRateLimiter limiter, ClientAddresses clients) {
        this.limiter = limiter;
        this.clients = clients;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RateLimitBucket bucket = RateLimitBucket.of(request.getMethod(), request.getRequestURI());
        if (limiter.limitOf(bucket) <= 0) {
            chain.doFilter(request, response);
            return;
        }
        RateLimitDecision decision = limiter.acquire(bucket, clients.clientOf(request));
        response.setHeader(LIMIT_HEADER, Integer.toString(decision.limit()));
        response.setHeader(REMAINING_HEADER, Integer.toString(decision.remaining()));
        response.setHeader(RESET_HEADER, Long.toString(Math.floorDiv(decision.resetAtMillis() + 999, 1000)));
        if (decision.allowed()) {
            chain.doFilter(request, response);
            return;
        }
        LoomException refusal = new LoomException(ErrorCode.RATE_LIMIT_EXCEEDED, "Rate limit exceeded",
                LoomException.details(
                        "limit", decision.limit(),
                        "window_ms", limiter.windowMs(),
                        ProtocolErrorResponses.RETRY_AFTER_MS, decision.retryAfterMs(),
                        "scope", bucket.scope()));
        ProtocolErrorResponses.write(response, refusal, RequestIds.of(request));
    }
}
