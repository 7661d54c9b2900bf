package org.loom.gateway.forward;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

/**
 * What an internal service answered to a forwarded request: status, content type and body, passed on unchanged.
 */
public final class ForwardedResponse {

    private final int status;
    private final String contentType;
    private final byte[] body;
    private final String retryAfter;

    ForwardedResponse(int status, String contentType, byte[] body) {
        this(status, contentType, body, null);
    }

    /** @param retryAfter the service's {@code Retry-After} header (a rate limit, a pending decision), or null */
    ForwardedResponse(int status, String contentType, byte[] body, String retryAfter) {
        this.status = status;
        this.contentType = contentType;
        this.body = body.clone();
        this.retryAfter = retryAfter;
    }

    /** The HTTP status the service answered. */
    public int status() {
        return status;
    }

    /** The content type the service declared, if any. */
    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    /** A copy of the body bytes. */
    public byte[] body() {
        return body.clone();
    }

    /** The answer as the gateway's own response. */
    public ResponseEntity<byte[]> toResponseEntity() {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatusCode.valueOf(status));
        contentType().ifPresent(type -> response.header(HttpHeaders.CONTENT_TYPE, type));
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        return response.body(body.clone());
    }

    @Override
    public String toString() {
        return "ForwardedResponse[status=" + status + ", contentType=" + contentType + ", " + body.length + " bytes]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ForwardedResponse that && status == that.status
                && Objects.equals(contentType, that.contentType) && Arrays.equals(body, that.body)
                && Objects.equals(retryAfter, that.retryAfter);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * status + Objects.hashCode(contentType)) + Arrays.hashCode(body))
                + Objects.hashCode(retryAfter);
    }
}
