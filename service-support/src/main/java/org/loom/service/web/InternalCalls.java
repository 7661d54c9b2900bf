package org.loom.service.web;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls from one of the node's services to another over its internal HTTP port. A service that does not answer is
 * the node's problem, not the caller's: it surfaces as {@link ErrorCode#NODE_UNREACHABLE} naming the service and why
 * ({@code connection_failed}, {@code timeout}, {@code interrupted}), never as an internal error.
 */
public final class InternalCalls {

    private static final Logger log = LoggerFactory.getLogger(InternalCalls.class);

    private InternalCalls() {
    }

    /** Sends the request and returns the service's answer, whatever its status. */
    public static <T> HttpResponse<T> send(HttpClient client, HttpRequest request,
            HttpResponse.BodyHandler<T> bodyHandler, String service) {
        try {
            return client.send(request, bodyHandler);
        } catch (HttpTimeoutException e) {
            // Connect timeouts are HttpTimeoutExceptions too, but say the service could not be reached.
            throw unavailable(service, e instanceof HttpConnectTimeoutException ? "connection_failed"
                    : "timeout", e);
        } catch (IOException e) {
            throw unavailable(service, "connection_failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(service, "interrupted", e);
        }
    }

    /** The refusal for a service that did not answer, logged once here. */
    public static LoomException unavailable(String service, String reason, Exception cause) {
        log.warn("Internal service {} did not answer ({}): {}", service, reason, cause.toString());
        return new LoomException(ErrorCode.NODE_UNREACHABLE, "Internal service unavailable: " + service,
                LoomException.details("service", service, "reason", reason), cause);
    }
}
