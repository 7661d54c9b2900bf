/**
 * The internal read routes the gateway forwards to: envelopes, threads and a thread's envelopes in rendering order,
 * each limited to what the calling identity may see.
 */
package org.loom.envelope.read;
