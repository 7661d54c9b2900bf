package org.loom.gateway.envelope;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.loom.gateway.RunningGateway;
import org.loom.gateway.auth.GatewayHttp;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.json.LoomJson;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The gateway on a random port with a {@link CommandResponder} answering its commands on the real broker and a
 * {@link FakeInternalService} behind its read routes. Identities are registered and logged in over HTTP, as a client
 * would. Test classes extending this share one application context.
 */
public abstract class RunningGatewayWithResponder extends RunningGateway {

    /** Short enough that the timeout path is quick, long enough for the responder's round trip. */
    static final Duration DECISION_TIMEOUT = Duration.ofMillis(2500);

    /** The admin token the context runs with. */
    static final String ADMIN_TOKEN = "admin-token-for-tests";

    @LocalServerPort
    protected int port;

    @Autowired
    protected ReplyConsumer replies;

    protected final HttpClient client = HttpClient.newHttpClient();
    protected GatewayHttp gateway;
    protected CommandResponder responder;

    @DynamicPropertySource
    static void responderAndInternalService(DynamicPropertyRegistry registry) {
        registry.add("loom.envelopes.decision-timeout", () -> DECISION_TIMEOUT.toMillis() + "ms");
        registry.add("loom.envelopes.reply-assignment-wait", () -> "30s");
        registry.add("loom.internal.envelope-service-url", () -> FakeInternalService.get().baseUrl());
        registry.add("loom.internal.delivery-worker-url", () -> FakeInternalService.get().baseUrl());
        registry.add("loom.internal.federation-service-url", () -> FakeInternalService.get().baseUrl());
        registry.add("loom.admin.token", () -> ADMIN_TOKEN);
        registry.add("loom.internal.email-bridge-url", () -> FakeInternalService.get().baseUrl());
        // Every test client is 127.0.0.1; the per-address limit on writes and logins would throttle the suite.
        registry.add("loom.gateway.web.rate-limit-sensitive-max", () -> "0");
    }

    /** A registered identity with one key and a bearer token for it. */
    protected record Sender(String identity, String keyId, SigningKey key, String token) {
    }

    @BeforeEach
    void replyPartitionsAssigned() {
        gateway = new GatewayHttp(port);
        responder = CommandResponder.get();
        await().atMost(Duration.ofSeconds(60)).until(replies::isReady);
    }

    protected Sender register(String name, String type) {
        String identity = GatewayHttp.newIdentity(name);
        SigningKey key = SigningKey.generate();
        var body = GatewayHttp.registration(identity, "k_" + name + "_1", key).put("type", type);
        var reply = gateway.post("/v1/identity", body, null);
        if (reply.status() != 201) {
            throw new IllegalStateException("registration failed: " + reply.body());
        }
        return new Sender(identity, "k_" + name + "_1", key, gateway.accessToken(identity, "k_" + name + "_1", key));
    }

    protected HttpResponse<String> post(String path, JsonNode body, String token, String idempotencyKey) {
        return post(path, LoomJson.write(body), token, idempotencyKey);
    }

    protected HttpResponse<String> post(String path, String body, String token, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request);
    }

    protected HttpResponse<String> get(String pathAndQuery, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    protected HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return LoomJson.parse(response.body());
    }

    protected static JsonNode error(HttpResponse<String> response) {
        return json(response).path("error");
    }
}
