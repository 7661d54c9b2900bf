package org.loom.service.web;

import jakarta.servlet.ServletRequest;
import java.util.regex.Pattern;
import org.loom.protocol.id.LoomIds;

/**
 * The id every request carries: {@code req_} and a random UUID, given once per request, echoed in the
 * {@value #HEADER} response header, placed in error bodies and in the logging context under {@value #MDC_KEY}.
 *
 * <p>Internal services keep the id the gateway forwards in the same header, so one client request is traceable
 * across services.
 */
public final class RequestIds {

    /** Request and response header carrying the id. */
    public static final String HEADER = "X-LOOM-Request-Id";

    /** Logging context key. */
    public static final String MDC_KEY = "request_id";

    /** Request attribute holding the id for the rest of the request's processing. */
    public static final String ATTRIBUTE = RequestIds.class.getName() + ".id";

    // Exactly the form this node generates: anything else from outside is replaced, so a header cannot smuggle
    // arbitrary text into logs or error bodies.
    private static final Pattern FORM =
            Pattern.compile("req_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private RequestIds() {
    }

    /**
     * The id of this request. Normally set by the request-id filter; a request that never passed it (an error raised
     * by the container before any filter ran) is given a new id here, remembered for the rest of the request.
     */
    public static String of(ServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        if (id instanceof String text) {
            return text;
        }
        String fresh = LoomIds.newRequestId();
        request.setAttribute(ATTRIBUTE, fresh);
        return fresh;
    }

    /** True for text in the form this node generates ({@code req_} and a lower-case UUID). */
    public static boolean isWellFormed(String text) {
        return text != null && FORM.matcher(text).matches();
    }
}
