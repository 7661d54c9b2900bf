package org.loom.federation.outbound;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import org.loom.federation.config.FederationSettings;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.service.net.InternalAddresses;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Fetches JSON documents from other nodes (node documents, identities) under the node's outbound rules: only http(s);
 * plain http only when the caller allows it; and no loopback, private, link-local or otherwise internal address unless
 * {@code LOOM_OUTBOUND_ALLOW_PRIVATE} is on, so a registered URL cannot be used to probe the node's own network.
 */
@Component
public class OutboundFetcher {

    private final FederationSettings settings;
    private final HttpClient client;

    public OutboundFetcher(FederationSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.fetchTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * GETs {@code url} and parses its JSON body.
     *
     * @param allowInsecureHttp whether a plain http URL is acceptable
     * @throws LoomException {@code ENVELOPE_INVALID} for a URL that breaks the rules or a body that is not JSON;
     *         {@code DELIVERY_TIMEOUT} on timeout; {@code NODE_UNREACHABLE} when the target cannot be reached or
     *         answers other than 2xx
     */
    public JsonNode getJson(String url, boolean allowInsecureHttp, Duration timeout) {
        URI uri = checkTarget(url, allowInsecureHttp);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .GET().build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw unreachable(url, "connection_failed", e);
        } catch (HttpTimeoutException e) {
            throw new LoomException(ErrorCode.DELIVERY_TIMEOUT, "Remote node did not answer in time",
                    LoomException.details("url", url, "timeout_ms", timeout.toMillis()), e);
        } catch (IOException e) {
            throw unreachable(url, "connection_failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(url, "interrupted", e);
        }
        if (response.statusCode() < 200 || response.statusCode() > 299) {
            throw new LoomException(ErrorCode.NODE_UNREACHABLE, "Remote node answered " + response.statusCode(),
                    LoomException.details("url", url, "status", response.statusCode()));
        }
        try {
            return LoomJson.parse(response.body());
        } catch (LoomException e) {
            throw LoomException.invalid("Remote document is not valid JSON", LoomException.details("url", url));
        }
    }

    /** The default fetch timeout. */
    public Duration defaultTimeout() {
        return settings.fetchTimeout();
    }

    /**
     * Checks a URL against the outbound rules.
     *
     * @throws LoomException {@code ENVELOPE_INVALID} when it breaks them
     */
    public URI checkTarget(String url, boolean allowInsecureHttp) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw LoomException.invalid("Not a valid URL: " + url, LoomException.details("url", url));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw LoomException.invalid("URL must be an absolute http(s) URL", LoomException.details("url", url));
        }
        if (scheme.equals("http") && !allowInsecureHttp) {
            throw LoomException.invalid("URL must use https (allow_insecure_http permits http)",
                    LoomException.details("url", url));
        }
        if (!settings.allowPrivateNetwork()) {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(uri.getHost());
            } catch (UnknownHostException e) {
                throw unreachable(url, "unknown_host", e);
            }
            for (InetAddress address : addresses) {
                if (InternalAddresses.isInternal(address)) {
                    throw LoomException.invalid("URL resolves to a private or loopback address, which outbound "
                            + "requests may not reach (LOOM_OUTBOUND_ALLOW_PRIVATE permits it)",
                            LoomException.details("url", url, "address", address.getHostAddress()));
                }
            }
        }
        return uri;
    }

    private static LoomException unreachable(String url, String reason, Exception cause) {
        return new LoomException(ErrorCode.NODE_UNREACHABLE, "Remote node unreachable",
                LoomException.details("url", url, "reason", reason), cause);
    }
}
