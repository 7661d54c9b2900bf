/**
 * Threads: the envelope DAG (cycle checks and the canonical rendering order), the lifecycle state machine, and the
 * thread-operation intents with the capability grants they require.
 */
package org.loom.protocol.thread;
