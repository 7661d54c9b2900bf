/** Envelope audience: who may read which envelope, Bcc privacy, and the reads that enforce both. */
package org.loom.envelope.audience;
