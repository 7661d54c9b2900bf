package org.loom.gateway.forward;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Asks every internal service the same operational question at once ({@code /internal/status},
 * {@code /actuator/prometheus}). Unlike {@link InternalForwarder} it does not pass on a client's request: a service
 * that does not answer is simply absent from the result, so one service down never hides the others.
 */
@Component
public class InternalProbes {

    private static final Logger log = LoggerFactory.getLogger(InternalProbes.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ForwardingSettings settings;
    private final HttpClient client;

    public InternalProbes(ForwardingSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).build();
    }

    /**
     * Opens {@code GET path} on one service and returns the body as a stream; the caller closes it.
     *
     * @throws LoomException {@code NODE_UNREACHABLE} when the service does not answer 200
     */
    public InputStream stream(InternalService service, String path) {
        HttpRequest request = HttpRequest.newBuilder(target(service, path)).timeout(settings.requestTimeout())
                .header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response = send(service, request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            try (InputStream ignored = response.body()) {
                throw unreachable(service, "status_" + response.statusCode());
            } catch (IOException e) {
                throw unreachable(service, "status_" + response.statusCode());
            }
        }
        return response.body();
    }

    /** {@code POST path} with a JSON body to one service; its status and body. */
    public HttpResponse<byte[]> post(InternalService service, String path, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(target(service, path)).timeout(settings.requestTimeout())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return send(service, request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI target(InternalService service, String path) {
        String base = settings.baseUrl(service).toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private <T> HttpResponse<T> send(InternalService service, HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw unreachable(service, "connection_failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(service, "interrupted");
        }
    }

    private static LoomException unreachable(InternalService service, String reason) {
        return new LoomException(ErrorCode.NODE_UNREACHABLE, "Internal service unavailable: " + service.serviceName(),
                LoomException.details("service", service.serviceName(), "reason", reason));
    }

    /** Each service's 200 answer to {@code GET path}, or empty when it gave none; in {@link InternalService} order. */
    public Map<InternalService, Optional<String>> getAll(String path, String accept) {
        Map<InternalService, CompletableFuture<HttpResponse<String>>> pending = new LinkedHashMap<>();
        for (InternalService service : InternalService.values()) {
            HttpRequest request = HttpRequest.newBuilder(target(service, path)).timeout(TIMEOUT)
                    .header("Accept", accept).GET()
                    .build();
            pending.put(service, client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        Map<InternalService, Optional<String>> answers = new LinkedHashMap<>();
        pending.forEach((service, future) -> {
            Optional<String> answer = Optional.empty();
            try {
                HttpResponse<String> response = future.join();
                if (response.statusCode() == 200) {
                    answer = Optional.of(response.body());
                } else {
                    log.warn("{} answered {} to {}", service.serviceName(), response.statusCode(), path);
                }
            } catch (RuntimeException e) {
                log.warn("{} did not answer {}: {}", service.serviceName(), path, e.toString());
            }
            answers.put(service, answer);
        });
        return answers;
    }
}
