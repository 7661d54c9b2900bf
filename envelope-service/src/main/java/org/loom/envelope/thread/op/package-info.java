/**
 * Thread operations ({@code thread_op} envelopes): one {@link org.loom.envelope.thread.op.ThreadOperation} per
 * supported intent, the authorisation every operation passes first, and the registry that prepares an operation for
 * the ingest.
 */
package org.loom.envelope.thread.op;
