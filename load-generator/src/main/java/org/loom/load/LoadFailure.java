package org.loom.load;

/** A run that cannot go on: the node refused the setup, or cannot be reached. The message says what to do. */
public final class LoadFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LoadFailure(String message) {
        super(message);
    }

    public LoadFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
