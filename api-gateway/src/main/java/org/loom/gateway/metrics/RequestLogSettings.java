package org.loom.gateway.metrics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The request log, bound from {@code loom.request-log.*}.
 *
 * @param enabled whether every answered request is logged ({@code LOOM_REQUEST_LOG_ENABLED})
 * @param format  {@code json} (one JSON object per line) or {@code text} ({@code LOOM_REQUEST_LOG_FORMAT})
 */
@ConfigurationProperties("loom.request-log")
public record RequestLogSettings(@DefaultValue("false") boolean enabled, @DefaultValue("json") Format format) {

    /** The line formats. */
    public enum Format { JSON, TEXT }

    public RequestLogSettings {
        format = format == null ? Format.JSON : format;
    }
}
