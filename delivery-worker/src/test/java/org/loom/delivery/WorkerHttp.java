package org.loom.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;

/** Plain HTTP calls to a running delivery-worker, answering status and JSON body. */
public final class WorkerHttp {

    /** A response: status and parsed body. */
    public record Answer(int status, JsonNode body) {
    }

    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    public WorkerHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST carrying an idempotency key, as the gateway passes a client's key on. */
    public Answer post(String path, String json, String idempotencyKey) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("content-type", "application/json")
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Answer delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(),
                    response.body().isEmpty() ? null : LoomJson.parse(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
