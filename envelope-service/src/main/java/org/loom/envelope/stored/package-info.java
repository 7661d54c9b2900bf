/** Stored envelopes: the {@code envelope} table, written by the ingest and read by the read routes. */
package org.loom.envelope.stored;
