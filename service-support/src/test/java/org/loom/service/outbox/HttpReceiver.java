package org.loom.service.outbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A real HTTP server on a loopback port that receives outbox deliveries: it answers 200, 503, or not at all, as the
 * test sets it, and records every request it took. Deliveries are told apart by a key the test chooses from the
 * request (for webhooks the {@code x-loom-delivery-id} header).
 */
public final class HttpReceiver implements OutboxDestination {

    /** One request the receiver answered with 2xx. */
    public record Received(String path, Map<String, List<String>> headers, byte[] body) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private enum Mode { ACCEPT, FAIL, HANG }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Function<Received, String> keyOf;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.ACCEPT);
    private final List<Received> taken = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private volatile CountDownLatch release = new CountDownLatch(1);

    /** A receiver on {@code path} that tells deliveries apart by the value of {@code keyHeader}. */
    public static HttpReceiver start(String path, String keyHeader) {
        return new HttpReceiver(path, received -> received.header(keyHeader));
    }

    private HttpReceiver(String path, Function<Received, String> keyOf) {
        this.keyOf = keyOf;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(path, this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The URL deliveries go to. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Mode current = mode.get();
            if (current == Mode.HANG) {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                current = mode.get() == Mode.HANG ? Mode.FAIL : mode.get();
            }
            if (current == Mode.FAIL) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            Received received = new Received(exchange.getRequestURI().getRawPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body);
            taken.add(received);
            String key = keyOf.apply(received);
            if (key != null) {
                counts.merge(key, 1, Integer::sum);
            }
            byte[] answer = "{\"ok\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    @Override
    public void accept() {
        mode.set(Mode.ACCEPT);
        releaseHanging();
    }

    @Override
    public void fail() {
        mode.set(Mode.FAIL);
        releaseHanging();
    }

    @Override
    public void hang() {
        release = new CountDownLatch(1);
        mode.set(Mode.HANG);
    }

    private void releaseHanging() {
        release.countDown();
    }

    @Override
    public int taken(String key) {
        return counts.getOrDefault(key, 0);
    }

    /** Every request answered with 2xx, in arrival order. */
    public List<Received> received() {
        return List.copyOf(taken);
    }

    @Override
    public void close() {
        releaseHanging();
        server.stop(0);
        executor.shutdownNow();
    }
}
