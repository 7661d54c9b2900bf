package org.loom.gateway.forward;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the internal services listen and how long the gateway waits for them.
 *
 * @param envelopeServiceUrl the envelope-service's base URL ({@code loom.internal.envelope-service-url}, set by the
 *                           embedded node; {@code LOOM_ENVELOPE_SERVICE_URL} in a split deployment)
 * @param federationServiceUrl the federation-service's base URL ({@code loom.internal.federation-service-url};
 *                           {@code LOOM_FEDERATION_SERVICE_URL} in a split deployment)
 * @param connectTimeout     how long opening a connection may take
 * @param requestTimeout     how long a forwarded request may take to answer, from sending it to its response headers
 * @param deliveryWorkerUrl  the delivery-worker's base URL ({@code loom.internal.delivery-worker-url};
 *                           {@code LOOM_DELIVERY_WORKER_URL} in a split deployment)
 * @param emailBridgeUrl     the email-bridge's base URL ({@code loom.internal.email-bridge-url}, set by the embedded
 *                           node; {@code LOOM_EMAIL_BRIDGE_URL} in a split deployment)
 */
@ConfigurationProperties("loom.internal")
public record ForwardingSettings(
        @DefaultValue("http://127.0.0.1:8788") URI envelopeServiceUrl,
        @DefaultValue("http://127.0.0.1:8789") URI federationServiceUrl,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("http://127.0.0.1:8790") URI deliveryWorkerUrl,
        @DefaultValue("http://127.0.0.1:8791") URI emailBridgeUrl) {

    public ForwardingSettings {
        requireHttpUrl(envelopeServiceUrl, "loom.internal.envelope-service-url");
        requireHttpUrl(federationServiceUrl, "loom.internal.federation-service-url");
        requireHttpUrl(deliveryWorkerUrl, "loom.internal.delivery-worker-url");
        requireHttpUrl(emailBridgeUrl, "loom.internal.email-bridge-url");
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("loom.internal.connect-timeout must be positive");
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("loom.internal.request-timeout must be positive");
        }
    }

    /** The base URL of a service. */
    public URI baseUrl(InternalService service) {
        return switch (service) {
            case ENVELOPE_SERVICE -> envelopeServiceUrl;
            case FEDERATION_SERVICE -> federationServiceUrl;
            case DELIVERY_WORKER -> deliveryWorkerUrl;
            case EMAIL_BRIDGE -> emailBridgeUrl;
        };
    }

    private static void requireHttpUrl(URI url, String name) {
        Objects.requireNonNull(url, name);
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException(name + " must be an http(s) URL, got " + url);
        }
    }
}
