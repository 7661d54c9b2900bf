package org.loom.gateway.forward;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Objects;
import org.loom.gateway.auth.Actor;
import org.loom.protocol.error.LoomException;
import org.loom.service.web.InternalCalls;
import org.loom.service.web.RequestIds;
import org.springframework.stereotype.Component;

/**
 * Passes a public request on to the internal service that owns it, and its answer back.
 *
 * <p>The method, the path and query exactly as received (percent-encoding kept) and the raw body bytes go through
 * unchanged, since some callers sign the exact bytes. The internal service learns the caller from
 * {@value #ACTOR_HEADER} (the gateway has authenticated it; internal services listen only where the gateway can reach
 * them) and the request id from {@link RequestIds#HEADER}. Its status, content type and body are returned as they are.
 *
 * <p>Connections are pooled by one HTTP/1.1 client. A service that cannot be reached, or does not answer in time, is
 * a 502 {@code NODE_UNREACHABLE}: the request did not fail because of anything the client sent.
 */
@Component
public class InternalForwarder {

    /** Request header naming the authenticated identity to the internal service. */
    public static final String ACTOR_HEADER = "X-LOOM-Actor";

    /** Request header telling the internal service that the caller presented the node's admin token. */
    public static final String ADMIN_HEADER = "X-LOOM-Admin";

    // Only what describes the body travels with it; the client's other headers (its token above all) stay here.
    private static final List<String> FORWARDED_HEADERS = List.of("Content-Type", "Accept");

    private static final int RELAY_BUFFER_BYTES = 64 * 1024;

    private final ForwardingSettings settings;
    private final HttpClient client;

    public InternalForwarder(ForwardingSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Forwards {@code request}, whose body is {@code body}, to {@code service} on behalf of {@code actor}.
     *
     * @param actor the authenticated caller, or null for a route that admits anonymous callers
     * @throws LoomException {@code NODE_UNREACHABLE} when the service does not answer
     */
    public ForwardedResponse forward(InternalService service, HttpServletRequest request, Actor actor, byte[] body) {
        return forward(service, request, actor, body, false, List.of());
    }

    /**
     * As {@link #forward(InternalService, HttpServletRequest, Actor, byte[])}; {@code admin} says that the gateway
     * verified the caller's admin token.
     */
    public ForwardedResponse forward(InternalService service, HttpServletRequest request, Actor actor, byte[] body,
            boolean admin) {
        return forward(service, request, actor, body, admin, List.of());
    }

    /**
     * {@link #forward(InternalService, HttpServletRequest, Actor, byte[])}, also passing the named request headers on
     * as received (for example the {@code x-loom-*} signature headers of node-to-node requests, whose signature the
     * owning service checks).
     */
    public ForwardedResponse forward(InternalService service, HttpServletRequest request, Actor actor, byte[] body,
            List<String> routeHeaders) {
        return forward(service, request, actor, body, false, routeHeaders);
    }

    /** All of the above: an admin call ({@code admin}) that also passes the named request headers on. */
    public ForwardedResponse forward(InternalService service, HttpServletRequest request, Actor actor, byte[] body,
            boolean admin, List<String> routeHeaders) {
        HttpResponse<byte[]> response = InternalCalls.send(client,
                outgoing(service, request, actor, body, admin, routeHeaders), HttpResponse.BodyHandlers.ofByteArray(),
                service.serviceName());
        return new ForwardedResponse(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), response.body(),
                response.headers().firstValue("Retry-After").orElse(null));
    }

    /**
     * Forwards a read without a body and streams the service's answer to {@code response} as it arrives: status,
     * content type, {@code Retry-After} and body (chunked). A long thread is megabytes, which would otherwise sit whole in the
     * gateway's heap two or three times per request.
     *
     * @throws LoomException {@code NODE_UNREACHABLE} when the service does not answer, or breaks off before the gateway
     *                       has started its own answer
     * @throws IOException   when the answer breaks off after the gateway has started passing it on
     */
    public void relay(InternalService service, HttpServletRequest request, Actor actor, HttpServletResponse response)
            throws IOException {
        HttpResponse<InputStream> answer = InternalCalls.send(client,
                outgoing(service, request, actor, null, false, List.of()), HttpResponse.BodyHandlers.ofInputStream(),
                service.serviceName());
        try (InputStream body = answer.body()) {
            response.setStatus(answer.statusCode());
            answer.headers().firstValue("Content-Type").ifPresent(response::setContentType);
            answer.headers().firstValue("Retry-After").ifPresent(value -> response.setHeader("Retry-After", value));
            // No Content-Length: should the service break off, the error answer that replaces its body must not be
            // held to the length of the one announced.
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[RELAY_BUFFER_BYTES];
            for (int read = readFrom(service, body, buffer, response); read >= 0;
                    read = readFrom(service, body, buffer, response)) {
                out.write(buffer, 0, read);
            }
        }
    }

    // A service that breaks off before anything went out is as unreachable as one that never answered; after that the
    // client's answer is already under way and can only be cut short.
    private static int readFrom(InternalService service, InputStream body, byte[] buffer, HttpServletResponse response)
            throws IOException {
        try {
            return body.read(buffer);
        } catch (IOException e) {
            if (response.isCommitted()) {
                throw e;
            }
            // What was read so far is still in the buffer; the gateway's own headers (the request id) stay.
            response.resetBuffer();
            throw InternalCalls.unavailable(service.serviceName(), "connection_failed", e);
        }
    }

    private HttpRequest outgoing(InternalService service, HttpServletRequest request, Actor actor, byte[] body,
            boolean admin, List<String> routeHeaders) {
        Objects.requireNonNull(request, "request");
        URI target = target(settings.baseUrl(service), request);
        HttpRequest.BodyPublisher publisher = body == null || body.length == 0
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder outgoing = HttpRequest.newBuilder(target)
                .timeout(settings.requestTimeout())
                .method(request.getMethod(), publisher)
                .header(RequestIds.HEADER, RequestIds.of(request));
        if (actor != null) {
            outgoing.header(ACTOR_HEADER, actor.identity());
        }
        if (admin) {
            outgoing.header(ADMIN_HEADER, "true");
        }
        copyHeaders(request, outgoing, FORWARDED_HEADERS);
        copyHeaders(request, outgoing, routeHeaders);
        return outgoing.build();
    }

    private static void copyHeaders(HttpServletRequest request, HttpRequest.Builder outgoing, List<String> names) {
        for (String header : names) {
            String value = request.getHeader(header);
            if (value != null) {
                outgoing.header(header, value);
            }
        }
    }

    /** The service's URL for the request: its base URL followed by the raw path and query of the request. */
    static URI target(URI baseUrl, HttpServletRequest request) {
        String base = baseUrl.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String query = request.getQueryString();
        try {
            return URI.create(base + request.getRequestURI() + (query == null ? "" : "?" + query));
        } catch (IllegalArgumentException e) {
            throw LoomException.invalid("Request URI is not valid", LoomException.details("field", "uri"));
        }
    }
}
