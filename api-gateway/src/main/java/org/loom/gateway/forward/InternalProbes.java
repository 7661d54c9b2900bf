package org.loom.gateway.forward;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

    /** Each service's 200 answer to {@code GET path}, or empty when it gave none; in {@link InternalService} order. */
    public Map<InternalService, Optional<String>> getAll(String path, String accept) {
        Map<InternalService, CompletableFuture<HttpResponse<String>>> pending = new LinkedHashMap<>();
        for (InternalService service : InternalService.values()) {
            String base = settings.baseUrl(service).toString();
            URI target = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
            HttpRequest request = HttpRequest.newBuilder(target).timeout(TIMEOUT).header("Accept", accept).GET()
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
