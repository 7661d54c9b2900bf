package org.loom.service.web;

import java.util.Map;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;

/**
 * The protocol error for a failure the servlet container reports only as a status (a request it could not parse, a
 * header too large, a body over its own limit), used by the {@code /error} page and the container's error valve.
 */
final class ContainerErrors {

    private ContainerErrors() {
    }

    static LoomException forStatus(int status, String method, String path, Throwable failure) {
        LoomException inside = ProtocolErrorResponses.protocolErrorIn(failure);
        if (inside != null) {
            return inside;
        }
        if (status == 404 || status == 405) {
            return ProtocolErrorResponses.routeNotFound(method, path);
        }
        if (status == 413) {
            return new LoomException(ErrorCode.PAYLOAD_TOO_LARGE, "Request body too large");
        }
        if (status == 429) {
            return new LoomException(ErrorCode.RATE_LIMIT_EXCEEDED, "Rate limit exceeded");
        }
        if (status == 501 || status == 505) {
            // Tomcat's answers to a transfer coding or an HTTP version it does not implement: what the client asked
            // for, not a failure of the node.
            return LoomException.invalid("Unsupported transfer coding or HTTP version",
                    LoomException.details("status", status));
        }
        if (status >= 400 && status < 500) {
            return LoomException.invalid("Malformed request", Map.of());
        }
        return ProtocolErrorResponses.internalError();
    }
}
