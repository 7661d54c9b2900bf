package org.loom.gateway.forward;

/** The services behind the gateway that it forwards requests to over internal HTTP. */
public enum InternalService {

    ENVELOPE_SERVICE("envelope-service"),
    FEDERATION_SERVICE("federation-service"),
    DELIVERY_WORKER("delivery-worker"),
    EMAIL_BRIDGE("email-bridge");

    private final String serviceName;

    InternalService(String serviceName) {
        this.serviceName = serviceName;
    }

    /** The service's name, as it appears in logs and error details. */
    public String serviceName() {
        return serviceName;
    }
}
