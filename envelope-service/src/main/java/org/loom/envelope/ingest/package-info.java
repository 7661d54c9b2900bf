/**
 * The write path: envelope commands from the gateway are decided here, one thread at a time, and their effects,
 * events and replies committed together.
 */
package org.loom.envelope.ingest;
