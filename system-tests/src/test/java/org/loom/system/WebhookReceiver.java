package org.loom.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.webhook.WebhookSignature;

import tools.jackson.databind.JsonNode;

/**
 * A real HTTP endpoint a webhook delivers to: it answers 200 to every delivery and remembers each one (delivery id,
 * the envelope it announces, when it came), and checks every signature against the node key, as a receiver would.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One delivery as it arrived. */
    record Arrival(String deliveryId, String eventType, String envelopeId, String threadId, Instant at) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final VerifyingKey nodeKey;
    private final String path;
    private final List<Arrival> arrivals = new ArrayList<>();
    private final List<String> badSignatures = new ArrayList<>();
    private final AtomicInteger count = new AtomicInteger();

    private WebhookReceiver(String path, VerifyingKey nodeKey) throws IOException {
        this.path = path;
        this.nodeKey = nodeKey;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext(path, this::receive);
        server.setExecutor(executor);
        server.start();
    }

    /** Listens on a free loopback port at {@code path}, verifying signatures with {@code nodeKey}. */
    static WebhookReceiver start(String path, VerifyingKey nodeKey) {
        try {
            return new WebhookReceiver(path, nodeKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int count() {
        return count.get();
    }

    List<Arrival> arrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    List<String> badSignatures() {
        synchronized (badSignatures) {
            return List.copyOf(badSignatures);
        }
    }

    /** The envelope ids announced by {@code envelope.accepted} deliveries of the given threads, each with its delivery ids. */
    Map<String, Set<String>> deliveryIdsByEnvelope(Set<String> threads) {
        return arrivals().stream().filter(arrival -> threads.contains(arrival.threadId()))
                .collect(Collectors.groupingBy(Arrival::envelopeId,
                        Collectors.mapping(Arrival::deliveryId, Collectors.toSet())));
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String deliveryId = exchange.getRequestHeaders().getFirst("x-loom-delivery-id");
            boolean signed;
            try {
                signed = WebhookSignature.verify(exchange.getRequestURI().getRawPath(), body,
                        exchange.getRequestHeaders().getFirst("x-loom-timestamp"),
                        exchange.getRequestHeaders().getFirst("x-loom-nonce"),
                        exchange.getRequestHeaders().getFirst("x-loom-signature"), nodeKey);
            } catch (RuntimeException e) {
                // A header missing altogether.
                signed = false;
            }
            if (!signed) {
                synchronized (badSignatures) {
                    badSignatures.add(deliveryId);
                }
            }
            JsonNode delivery = LoomJson.parse(body);
            Arrival arrival = new Arrival(deliveryId, delivery.path("event_type").asString(""),
                    delivery.at("/payload/data/envelope_id").asString(""),
                    delivery.at("/payload/data/thread_id").asString(""), Instant.now());
            synchronized (arrivals) {
                arrivals.add(arrival);
            }
            count.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
