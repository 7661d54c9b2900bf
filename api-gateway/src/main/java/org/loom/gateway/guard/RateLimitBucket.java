package org.loom.gateway.guard;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.loom.protocol.error.LoomException;
import org.loom.service.web.PathSegments;

/**
 * The two rate-limit buckets: writes and authentication routes that cost the node real work (sensitive) and
 * everything else (default). Each client has its own count in each bucket.
 */
public enum RateLimitBucket {
    DEFAULT("default"),
    SENSITIVE("sensitive");

    private static final Set<String> SENSITIVE_POSTS = Set.of(
            "/v1/auth/challenge", "/v1/auth/token", "/v1/auth/refresh",
            "/v1/bridge/email/inbound", "/v1/bridge/email/send",
            "/v1/gateway/smtp/submit",
            "/v1/email/outbox", "/v1/email/outbox/process",
            "/v1/outbox/dlq/requeue",
            "/v1/admin/persistence/restore",
            "/v1/webhooks", "/v1/webhooks/outbox/process",
            "/v1/federation/deliver", "/v1/federation/challenge", "/v1/federation/outbox/process",
            "/v1/federation/nodes/bootstrap",
            "/v1/envelopes");

    private static final String[] OUTBOX_ITEM_PREFIXES = {
        "/v1/federation/outbox/", "/v1/email/outbox/", "/v1/webhooks/outbox/"};

    private final String scope;

    RateLimitBucket(String scope) {
        this.scope = scope;
    }

    /** The bucket's name in the 429 body's {@code scope}. */
    public String scope() {
        return scope;
    }

    /**
     * The bucket of a request, from its method and its path as sent. The path is read the way the router reads it
     * ({@code ;} parameters dropped, escapes decoded, dot segments and repeated slashes resolved) so that spelling a
     * sensitive route differently does not move it into the larger bucket.
     */
    public static RateLimitBucket of(String method, String rawPath) {
        if (!"POST".equalsIgnoreCase(method)) {
            return DEFAULT;
        }
        String path = routingPath(rawPath);
        if (SENSITIVE_POSTS.contains(path)) {
            return SENSITIVE;
        }
        if (between(path, "/v1/threads/", "/ops")) {
            return SENSITIVE;
        }
        for (String prefix : OUTBOX_ITEM_PREFIXES) {
            if (between(path, prefix, "/process")) {
                return SENSITIVE;
            }
        }
        return DEFAULT;
    }

    private static boolean between(String path, String prefix, String suffix) {
        return path.length() > prefix.length() + suffix.length() && path.startsWith(prefix) && path.endsWith(suffix);
    }

    static String routingPath(String rawPath) {
        Deque<String> segments = new ArrayDeque<>();
        for (String raw : rawPath.split("/")) {
            int parameters = raw.indexOf(';');
            String segment = parameters < 0 ? raw : raw.substring(0, parameters);
            try {
                segment = PathSegments.decode(segment);
            } catch (LoomException malformed) {
                // The router refuses such a path anyway; classify the text as it stands.
            }
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
                continue;
            }
            segments.addLast(segment);
        }
        return "/" + String.join("/", segments);
    }
}
