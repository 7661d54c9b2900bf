package org.loom.launcher;

/**
 * The node cannot start for a reason the operator can fix: a port already taken, a data directory that cannot be
 * written, a setting with a bad value. Its message is written for the operator and printed without a stack trace.
 */
public final class NodeStartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NodeStartupException(String message) {
        super(message);
    }

    public NodeStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
