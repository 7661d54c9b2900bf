/**
 * Capability tokens (spec §12): signed, self-contained grants of thread rights, and the check that decides whether a
 * presented token authorises a thread operation by someone who does not own the thread.
 */
package org.loom.protocol.capability;
