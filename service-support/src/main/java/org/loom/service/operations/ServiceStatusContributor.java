package org.loom.service.operations;

import tools.jackson.databind.JsonNode;

/**
 * One part of a service's status report ({@code GET /internal/status}), which the gateway gathers into
 * {@code GET /v1/admin/status}. A service's features each contribute their own part (outbox depths, stored counts).
 */
public interface ServiceStatusContributor {

    /** The part's key in the report, in snake case. */
    String name();

    /**
     * The part's current value, or {@code null} when the service has nothing to report under this name; called on
     * every report, so keep it to cheap queries.
     */
    JsonNode status();
}
