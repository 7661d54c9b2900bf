/** Per-identity mailbox labels ({@code sys.inbox}, {@code sys.sent}, archive, trash, ...) on threads. */
package org.loom.envelope.mailbox;
