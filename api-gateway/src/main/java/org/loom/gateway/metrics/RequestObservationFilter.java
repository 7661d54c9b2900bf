package org.loom.gateway.metrics;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.loom.gateway.guard.ClientAddresses;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.loom.service.web.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.node.ObjectNode;

/**
 * Counts and, when enabled, logs every request the gateway answers, refusals by the guards included: it runs right
 * after the request id is assigned, so the id in a log line is the one the error body carries.
 */
final class RequestObservationFilter extends OncePerRequestFilter {

    /** The logger request lines go to, so operators can route them apart from the rest. */
    static final String LOGGER = "org.loom.gateway.requests";

    private static final Logger requestLog = LoggerFactory.getLogger(LOGGER);
    private static final Pattern SUBMISSION = Pattern.compile("^/v1/(envelopes|threads/[^/]+/ops)$");

    private final RequestMetrics metrics;
    private final RequestLogSettings logSettings;
    private final ClientAddresses clients;
    private final Clock clock;

    RequestObservationFilter(RequestMetrics metrics, RequestLogSettings logSettings, ClientAddresses clients,
            Clock clock) {
        this.metrics = metrics;
        this.logSettings = logSettings;
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long began = System.nanoTime();
        metrics.started();
        ErrorCodeCapture capture = new ErrorCodeCapture(response);
        int status = 500;
        String errorCode = null;
        try {
            chain.doFilter(request, capture);
            status = capture.getStatus();
            errorCode = capture.errorCode();
        } finally {
            long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            metrics.finished(status, errorCode, durationMs);
            if ("POST".equals(request.getMethod()) && SUBMISSION.matcher(request.getRequestURI()).matches()) {
                metrics.envelopeOutcome(status, errorCode);
            }
            if (logSettings.enabled()) {
                log(request, status, errorCode, durationMs);
            }
        }
    }

    private void log(HttpServletRequest request, int status, String errorCode, long durationMs) {
        String timestamp = Timestamps.format(Instant.now(clock));
        String requestId = RequestIds.of(request);
        if (logSettings.format() == RequestLogSettings.Format.TEXT) {
            requestLog.info("[{}] {} {} status={} duration_ms={} req_id={}{}", timestamp, request.getMethod(),
                    request.getRequestURI(), status, durationMs, requestId,
                    errorCode == null ? "" : " error_code=" + errorCode);
            return;
        }
        ObjectNode line = LoomJson.mapper().createObjectNode();
        line.put("timestamp", timestamp);
        line.put("req_id", requestId);
        line.put("method", request.getMethod());
        line.put("path", request.getRequestURI());
        line.put("status", status);
        line.put("duration_ms", durationMs);
        line.put("client_ip", clients.clientOf(request));
        line.put("error_code", errorCode);
        requestLog.info(LoomJson.write(line));
    }
}
