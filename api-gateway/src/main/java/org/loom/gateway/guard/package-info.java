/**
 * What the gateway checks before a request is routed: the client's address (behind trusted proxies only), per-client
 * rate limits in two buckets, and the request body size limit.
 */
package org.loom.gateway.guard;
