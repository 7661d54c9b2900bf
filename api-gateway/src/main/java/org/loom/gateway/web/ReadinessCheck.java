package org.loom.gateway.web;

/**
 * One thing the gateway needs before it can serve traffic. Every bean of this type is consulted by {@code GET /ready};
 * the gateway is ready when all of them are.
 */
public interface ReadinessCheck {

    /** The check's key in the {@code /ready} body, in snake case ({@code database}, {@code kafka}). */
    String name();

    /**
     * Whether the dependency answers now. May block briefly: the probe gives up after its timeout and counts a check
     * that is still running, returns false or throws as not ready.
     */
    boolean isReady() throws Exception;
}
