package org.loom.email.it;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.loom.testsupport.LoomTestProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The email-bridge as it runs, on a random port, against the shared broker, a fresh PostgreSQL schema, the real
 * envelope-service ({@link EnvelopeServiceNode}) and a GreenMail SMTP server on a fixed port that tests may stop and
 * start again. The outbox is driven by the tests (no automatic processing) with short backoffs.
 */
// The first command waits for this replica to join its reply group on the shared broker. A subclass that declares
// its own @SpringBootTest may wait less. Published outbox rows are kept, so that suites can read the audit records
// the bridge queued.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"loom.email.decision-timeout=30000ms", "loom.outbox.retention-ms=3600000"})
public abstract class RunningEmailBridge {

    static final int SMTP_PORT = freePort();
    private static GreenMail mail;

    @LocalServerPort
    protected int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void testInfrastructure(DynamicPropertyRegistry registry) {
        LoomTestProperties.register(registry, "email-bridge");
        registry.add("loom.node.node-id", () -> EnvelopeServiceNode.NODE_ID);
        registry.add("loom.internal.envelope-service-url", () -> EnvelopeServiceNode.get().baseUrl().toString());
        registry.add("loom.outbox.relay-interval-ms", () -> "100");
        registry.add("loom.smtp.host", () -> "127.0.0.1");
        registry.add("loom.smtp.port", () -> Integer.toString(SMTP_PORT));
        registry.add("loom.smtp.default-from", () -> "relay@node.test");
        registry.add("loom.smtp.timeout-ms", () -> "3000");
        registry.add("loom.email.outbox.auto-process-interval-ms", () -> "0");
        registry.add("loom.email.outbox.base-backoff-ms", () -> "300");
        registry.add("loom.email.outbox.max-backoff-ms", () -> "600");
        registry.add("loom.email.outbox.jitter-ratio", () -> "0");
        registry.add("loom.email.outbox.attempt-timeout-ms", () -> "8000");
        registry.add("loom.email.outbox.lease-ms", () -> "20000");
        // Small enough for a test message to exceed.
        registry.add("loom.email.max-attachment-bytes", () -> "65536");
        registry.add("loom.email.max-attachments", () -> "3");
    }

    /** The GreenMail server on {@link #SMTP_PORT}, started (empty) if it is not running. */
    protected static synchronized GreenMail startMail() {
        if (mail == null || !mail.isRunning()) {
            // GreenMail gives its server 2 s to start by default, too little on a busy two-core machine.
            ServerSetup smtp = new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
            smtp.setServerStartupTimeout(15_000);
            mail = new GreenMail(smtp);
            mail.start();
        }
        return mail;
    }

    /** Stops the SMTP server: the relay's connections are then refused. */
    protected static synchronized void stopMail() {
        if (mail != null) {
            mail.stop();
        }
    }

    protected HttpResponse<String> post(String path, String actor, String body) throws Exception {
        return post(path, actor, "application/json", body);
    }

    /** Posts JSON with an idempotency key, as the gateway passes a client's key on. */
    protected HttpResponse<String> postWithKey(String path, String actor, String body, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("X-LOOM-Actor", actor)
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a raw RFC 5322 message, as an MTA's pipe does. */
    protected HttpResponse<String> postMessage(String path, String actor, String message) throws Exception {
        return post(path, actor, "message/rfc822", message);
    }

    private HttpResponse<String> post(String path, String actor, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("X-LOOM-Actor", actor)
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> get(String path, String actor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (actor != null) {
            request.header("X-LOOM-Actor", actor);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
