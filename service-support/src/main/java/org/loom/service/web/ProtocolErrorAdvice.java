package org.loom.service.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Renders every failure that reaches Spring MVC as the protocol error body. Protocol errors keep their code, message
 * and details; Spring MVC's own exceptions become the protocol errors a client of the reference node would see; any
 * other failure is a 500 {@code INTERNAL_ERROR} whose cause is logged and never sent.
 *
 * <p>Ordered last so a service's own advice for a narrower case wins.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ProtocolErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProtocolErrorAdvice.class);

    @ExceptionHandler(LoomException.class)
    public ResponseEntity<byte[]> protocolError(LoomException error, HttpServletRequest request) {
        if (error.code() == ErrorCode.INTERNAL_ERROR) {
            log.error("Internal error on {} {}", request.getMethod(), request.getRequestURI(), error);
        }
        return ProtocolErrorResponses.entity(error, RequestIds.of(request));
    }

    /** Unknown paths and known paths with another method are the same 404: the protocol has no 405. */
    @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class,
            HttpRequestMethodNotSupportedException.class})
    public ResponseEntity<byte[]> routeNotFound(Exception ignored, HttpServletRequest request) {
        return respond(ProtocolErrorResponses.routeNotFound(request.getMethod(), request.getRequestURI()), request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<byte[]> unreadableBody(HttpMessageNotReadableException error, HttpServletRequest request) {
        LoomException inside = ProtocolErrorResponses.protocolErrorIn(error);
        if (inside != null) {
            return protocolError(inside, request);
        }
        log.debug("Unreadable request body on {} {}", request.getMethod(), request.getRequestURI(), error);
        return respond(LoomException.invalid("Request body must be valid JSON", Map.of()), request);
    }

    /**
     * A body labelled {@code multipart/*} is parsed by the servlet container before any route sees it; the protocol
     * has no multipart bodies, so one the container cannot parse (no boundary, cut short, too large) is the client's
     * mistake like any other unreadable body.
     */
    @ExceptionHandler(MultipartException.class)
    public ResponseEntity<byte[]> unreadableMultipart(MultipartException error, HttpServletRequest request) {
        log.debug("Unreadable multipart body on {} {}", request.getMethod(), request.getRequestURI(), error);
        if (error instanceof MaxUploadSizeExceededException) {
            return respond(new LoomException(ErrorCode.PAYLOAD_TOO_LARGE, "Request body too large"), request);
        }
        return respond(invalidField("Request body could not be read as multipart", "content-type"), request);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    public ResponseEntity<byte[]> missingParameter(MissingServletRequestParameterException error,
            HttpServletRequest request) {
        return respond(invalidField("Missing required parameter", error.getParameterName()), request);
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    public ResponseEntity<byte[]> missingHeader(MissingRequestHeaderException error, HttpServletRequest request) {
        return respond(invalidField("Missing required header", error.getHeaderName()), request);
    }

    @ExceptionHandler(MissingPathVariableException.class)
    public ResponseEntity<byte[]> missingPathVariable(MissingPathVariableException error,
            HttpServletRequest request) {
        return respond(invalidField("Missing path segment", error.getVariableName()), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<byte[]> mistypedArgument(MethodArgumentTypeMismatchException error,
            HttpServletRequest request) {
        return respond(invalidField("Invalid value", error.getName()), request);
    }

    @ExceptionHandler({ServletRequestBindingException.class, MethodArgumentNotValidException.class,
            HandlerMethodValidationException.class})
    public ResponseEntity<byte[]> invalidRequest(Exception error, HttpServletRequest request) {
        log.debug("Request rejected by binding on {} {}", request.getMethod(), request.getRequestURI(), error);
        return respond(LoomException.invalid("Invalid request", Map.of()), request);
    }

    /**
     * Bodies are read whatever their content type, so this only happens for a handler that narrowed what it consumes.
     */
    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<byte[]> unsupportedContentType(HttpMediaTypeNotSupportedException error,
            HttpServletRequest request) {
        return respond(invalidField("Unsupported content type", "content-type"), request);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    public ResponseEntity<byte[]> unacceptable(HttpMediaTypeNotAcceptableException error,
            HttpServletRequest request) {
        return respond(invalidField("No acceptable representation", "accept"), request);
    }

    /** The client went away while the answer was being written: there is nobody left to answer. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    public void clientGone(AsyncRequestNotUsableException error, HttpServletRequest request) {
        log.debug("Response to {} {} could not be written", request.getMethod(), request.getRequestURI(), error);
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<byte[]> unexpected(Exception error, HttpServletRequest request) {
        LoomException inside = ProtocolErrorResponses.protocolErrorIn(error);
        if (inside != null) {
            return protocolError(inside, request);
        }
        log.error("Unexpected failure on {} {} (request {})", request.getMethod(), request.getRequestURI(),
                RequestIds.of(request), error);
        return respond(ProtocolErrorResponses.internalError(), request);
    }

    private static ResponseEntity<byte[]> respond(LoomException error, HttpServletRequest request) {
        return ProtocolErrorResponses.entity(error, RequestIds.of(request));
    }

    private static LoomException invalidField(String message, String field) {
        return LoomException.invalid(message, LoomException.details("field", field));
    }
}
