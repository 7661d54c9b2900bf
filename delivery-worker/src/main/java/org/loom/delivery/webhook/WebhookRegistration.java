package org.loom.delivery.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.loom.protocol.error.LoomException;
import tools.jackson.databind.JsonNode;

/**
 * A {@code POST /v1/webhooks} body, read as the reference node reads it: the URL must be http(s) and is stored
 * normalised; absent or empty {@code events} mean all; attempts and timeout are clamped into their ranges.
 */
record WebhookRegistration(URI url, List<String> events, boolean active, int maxAttempts, int timeoutMs) {

    static final int DEFAULT_MAX_ATTEMPTS = 8;
    static final int DEFAULT_TIMEOUT_MS = 5000;

    static WebhookRegistration from(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw LoomException.invalid("Request body must be a JSON object", Map.of());
        }
        return new WebhookRegistration(url(body.get("url")), events(body.get("events")), active(body.get("active")),
                clamp(number(body.get("max_attempts"), DEFAULT_MAX_ATTEMPTS), 1, 20),
                clamp(number(body.get("timeout_ms"), DEFAULT_TIMEOUT_MS), 250, 60000));
    }

    private static URI url(JsonNode node) {
        if (node == null || !node.isString() || node.asString().isBlank()) {
            throw LoomException.invalid("url is required", Map.of("field", "url"));
        }
        String text = node.asString().strip();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw LoomException.invalid("url must be a valid http or https URL", Map.of("field", "url"));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw LoomException.invalid("url must be a valid http or https URL", Map.of("field", "url"));
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        StringBuilder normalised = new StringBuilder(scheme).append("://").append(uri.getHost().toLowerCase(Locale.ROOT));
        if (!defaultPort) {
            normalised.append(':').append(port);
        }
        normalised.append(path);
        if (uri.getRawQuery() != null) {
            normalised.append('?').append(uri.getRawQuery());
        }
        return URI.create(normalised.toString());
    }

    private static List<String> events(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of(Webhook.ALL_EVENTS);
        }
        if (!node.isArray()) {
            throw LoomException.invalid("events must be an array", Map.of("field", "events"));
        }
        Set<String> events = new LinkedHashSet<>();
        for (JsonNode entry : node) {
            if (entry.isContainer()) {
                throw LoomException.invalid("events must contain event type names", Map.of("field", "events"));
            }
            String name = entry.isNull() ? "" : entry.asString().strip();
            if (!name.isEmpty()) {
                events.add(name);
            }
        }
        return events.isEmpty() ? List.of(Webhook.ALL_EVENTS) : new ArrayList<>(events);
    }

    private static boolean active(JsonNode node) {
        if (node == null || node.isNull()) {
            return true;
        }
        if (!node.isBoolean()) {
            throw LoomException.invalid("active must be a boolean", Map.of("field", "active"));
        }
        return node.asBoolean();
    }

    /** The number given, else the default (a missing or non-numeric value, as the reference reads it). */
    private static long number(JsonNode node, int fallback) {
        if (node != null && node.isNumber()) {
            return (long) Math.floor(node.asDouble());
        }
        if (node != null && node.isString()) {
            try {
                return (long) Math.floor(Double.parseDouble(node.asString().strip()));
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    private static int clamp(long value, int min, int max) {
        return (int) Math.max(min, Math.min(max, value));
    }
}
