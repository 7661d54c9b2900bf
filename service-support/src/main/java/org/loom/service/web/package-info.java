/**
 * The HTTP conventions every LOOM service shares: request ids, the protocol error body for every failure (thrown in a
 * controller, raised by Spring MVC or by the servlet container itself), JSON request bodies read whatever their
 * content type, JSON responses with ECMAScript numbers, and strict decoding of percent-encoded path segments.
 *
 * <p>{@link org.loom.service.web.LoomWebAutoConfiguration} installs all of it in any servlet web application that
 * has this module on its class path.
 */
package org.loom.service.web;
