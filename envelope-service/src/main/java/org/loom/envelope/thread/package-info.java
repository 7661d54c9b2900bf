/**
 * Threads as the envelope-service stores them: the thread row (which is also the lock every write to the thread
 * takes), its participants, and the summary the API shows.
 */
package org.loom.envelope.thread;
