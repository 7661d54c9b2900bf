/**
 * The gateway's HTTP edge: liveness ({@code /health}), readiness ({@code /ready}, built from every
 * {@link org.loom.gateway.web.ReadinessCheck}), and the wiring and settings of the request guards in
 * {@code org.loom.gateway.guard}.
 */
package org.loom.gateway.web;
