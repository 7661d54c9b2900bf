package org.loom.service.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * HTTP settings shared by every service.
 *
 * @param acceptIncomingRequestId whether a well-formed {@code X-LOOM-Request-Id} on an incoming request is kept
 *     rather than replaced. Internal services keep the gateway's id; the public gateway gives every request its own.
 */
@ConfigurationProperties("loom.web")
public record LoomWebProperties(@DefaultValue("true") boolean acceptIncomingRequestId) {
}
