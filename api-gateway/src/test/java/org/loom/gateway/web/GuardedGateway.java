package org.loom.gateway.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.loom.gateway.RunningGateway;
import org.loom.protocol.json.LoomJson;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The gateway with small guard limits, {@code 127.0.0.1} as its one trusted proxy, a readiness answer that is never
 * reused, and the {@link WireProbeController} routes. Every test class extending this shares one context.
 *
 * <p>Requests from the test client come from {@code 127.0.0.1}, so each test names its own client in
 * {@code X-Forwarded-For} ({@link #freshClient()}) and counts against its own rate-limit windows.
 */
@TestPropertySource(properties = {
    "loom.gateway.web.max-body-bytes=" + GuardedGateway.MAX_BODY_BYTES,
    "loom.gateway.web.rate-limit-default-max=" + GuardedGateway.DEFAULT_MAX,
    "loom.gateway.web.rate-limit-sensitive-max=" + GuardedGateway.SENSITIVE_MAX,
    "loom.gateway.web.rate-limit-window-ms=600000",
    "loom.gateway.web.trusted-proxies=127.0.0.1, 192.0.2.0/24",
    "loom.gateway.web.ready-cache-ms=0",
})
@Import({WireProbeController.class, SwitchableReadinessCheck.class})
public abstract class GuardedGateway extends RunningGateway {

    public static final int MAX_BODY_BYTES = 1024;
    public static final int DEFAULT_MAX = 20;
    public static final int SENSITIVE_MAX = 3;

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    @LocalServerPort
    protected int port;

    protected final HttpClient http = HttpClient.newHttpClient();

    /** An address no other test uses, for {@code X-Forwarded-For}. */
    protected static String freshClient() {
        int n = CLIENTS.incrementAndGet();
        return "10.77." + (n / 250) + "." + (n % 250 + 1);
    }

    protected URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** A request builder for the path, from a fresh client. */
    protected HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).header("X-Forwarded-For", freshClient());
    }

    protected HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    protected static JsonNode json(String body) {
        return LoomJson.parse(body);
    }

    /** The {@code error} member of a protocol error body. */
    protected static JsonNode error(String body) {
        JsonNode error = LoomJson.parse(body).get("error");
        if (error == null) {
            throw new AssertionError("Not a protocol error body: " + body);
        }
        return error;
    }
}
