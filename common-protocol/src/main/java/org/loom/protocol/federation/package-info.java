/**
 * The signed parts of node-to-node federation: LOOM-HTTP-SIG-1 request signatures with their freshness rule, and the
 * signed receipts a node returns for a delivery. Replay caches, rate limits and node policies are service state and
 * live in the federation service.
 */
package org.loom.protocol.federation;
