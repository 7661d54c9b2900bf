/**
 * Signatures on outgoing webhook deliveries, so receivers can check that a delivery came from this node unaltered.
 */
package org.loom.protocol.webhook;
