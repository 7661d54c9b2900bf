package org.loom.delivery.dlq;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the services that own the federation and email outboxes listen, for requeueing their dead letters. The names
 * are the gateway's, so one setting serves both.
 *
 * @param federationServiceUrl the federation-service's base URL ({@code LOOM_FEDERATION_SERVICE_URL}; set by the
 *                             embedded node)
 * @param emailBridgeUrl       the email-bridge's base URL ({@code LOOM_EMAIL_BRIDGE_URL}; set by the embedded node)
 * @param connectTimeout       how long opening a connection to an owning service may take
 * @param requestTimeout       how long an owning service may take to answer a requeue
 */
@ConfigurationProperties("loom.internal")
public record OwnerServicesSettings(
        @DefaultValue("http://127.0.0.1:8789") URI federationServiceUrl,
        @DefaultValue("http://127.0.0.1:8791") URI emailBridgeUrl,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("30s") Duration requestTimeout) {

    public OwnerServicesSettings {
        requireHttpUrl(federationServiceUrl, "loom.internal.federation-service-url");
        requireHttpUrl(emailBridgeUrl, "loom.internal.email-bridge-url");
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("loom.internal.connect-timeout must be positive");
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("loom.internal.request-timeout must be positive");
        }
    }

    private static void requireHttpUrl(URI url, String name) {
        Objects.requireNonNull(url, name);
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException(name + " must be an http(s) URL, got " + url);
        }
    }
}
