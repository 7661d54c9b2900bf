package org.loom.launcher;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Locale;

/** Ports chosen before the listeners that use them open, and the early check of the gateway's port. */
final class FreePorts {

    private FreePorts() {
    }

    /**
     * A port that was free on 127.0.0.1 a moment ago. Another process could take it before the caller binds it; the
     * caller's bind then fails loudly, which is the best a port chosen ahead of time allows.
     */
    static int pick() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new NodeStartupException("cannot find a free loopback port: " + e.getMessage(), e);
        }
    }

    /**
     * Fails with a clear message when the gateway's {@code HOST:PORT} cannot be bound right now, so the node stops
     * before starting anything else. Port 0 always passes.
     */
    static void requireBindable(String host, int port) {
        if (port == 0) {
            return;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new NodeStartupException(EmbeddedNodeSettings.HOST + " names no known address: " + host, e);
        }
        try (ServerSocket socket = new ServerSocket()) {
            // The same option the web server sets, so a port whose last connections are still closing passes.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 1);
        } catch (BindException e) {
            boolean inUse = e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("in use");
            throw new NodeStartupException("cannot listen on " + host + ":" + port + " (" + EmbeddedNodeSettings.PORT
                    + "): " + (inUse
                            ? "the port is already in use. Stop the program using it or choose another "
                                    + EmbeddedNodeSettings.PORT + "."
                            : e.getMessage() + ". Check " + EmbeddedNodeSettings.HOST + " and "
                                    + EmbeddedNodeSettings.PORT + "."), e);
        } catch (IOException e) {
            throw new NodeStartupException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }
}
