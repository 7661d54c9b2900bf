package org.loom.service.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The {@code /error} page: failures that escaped Spring MVC (an exception thrown by a filter, a status sent by the
 * container) are answered with the protocol error body instead of the default HTML or JSON error page.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ContainerErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ContainerErrorController.class);

    @RequestMapping
    public ResponseEntity<byte[]> error(HttpServletRequest request) {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object pathAttribute = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Throwable failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t ? t : null;
        // A direct request for the error page itself is just another unknown route.
        int status = statusAttribute instanceof Integer code ? code : 404;
        String path = pathAttribute instanceof String text ? text : request.getRequestURI();

        LoomException error = ContainerErrors.forStatus(status, request.getMethod(), path, failure);
        if (error.code() == ErrorCode.INTERNAL_ERROR) {
            log.error("Unexpected failure outside Spring MVC on {} {} (status {})", request.getMethod(), path, status,
                    failure);
        }
        return ProtocolErrorResponses.entity(error, RequestIds.of(request));
    }
}
