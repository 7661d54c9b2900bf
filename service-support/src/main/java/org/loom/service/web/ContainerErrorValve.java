package org.loom.service.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's last word on a failed request, replacing its HTML error report: requests the container refuses before any
 * application code runs (a malformed request line, bad percent-encoding in the path, a header over the size limit)
 * get the protocol error body too.
 */
public class ContainerErrorValve extends ErrorReportValve {

    private static final Logger log = LoggerFactory.getLogger(ContainerErrorValve.class);

    @Override
    protected void report(Request request, Response response, Throwable failure) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String method = request.getMethod() == null ? "" : request.getMethod();
        String path = request.getRequestURI() == null ? "" : request.getRequestURI();
        LoomException error = ContainerErrors.forStatus(status, method, path, failure);
        String requestId = RequestIds.of(request);
        log.debug("Container refused {} {} with {} ({})", method, path, status, response.getMessage());
        try {
            response.setStatus(error.httpStatus());
            response.setContentType(JsonResponses.JSON_UTF8.toString());
            response.setHeader(RequestIds.HEADER, requestId);
            ProtocolErrorResponses.retryAfterSeconds(error)
                    .ifPresent(seconds -> response.setHeader("Retry-After", Long.toString(seconds)));
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(LoomJson.write(ProtocolErrorResponses.body(error, requestId)));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            log.debug("Could not write the error body for {} {}", method, path, e);
        }
    }
}
