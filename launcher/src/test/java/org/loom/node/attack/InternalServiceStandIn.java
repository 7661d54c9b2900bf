package org.loom.node.attack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A server on {@code 127.0.0.1} standing in for a service of the node's own network. It answers every request with a
 * small node document naming {@link #NODE_ID} and counts the requests, so a test can prove none reached it.
 */
final class InternalServiceStandIn implements AutoCloseable {

    /** The node id its answers carry, to look for in what the node hands back to a caller. */
    static final String NODE_ID = "internal.test";

    private final HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();

    private InternalServiceStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            byte[] body = ("{\"node_id\":\"" + NODE_ID + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    static InternalServiceStandIn start() throws IOException {
        return new InternalServiceStandIn();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Requests that reached it so far. */
    int hits() {
        return hits.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
