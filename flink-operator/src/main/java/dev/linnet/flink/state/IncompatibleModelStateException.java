package dev.linnet.flink.state;

/**
 * Restoring keyed state written under one model into a job that runs another. Flink fails the restore with
 * this as the cause; the message says which model wrote the state, which one runs now, and what to do.
 */
public final class IncompatibleModelStateException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public IncompatibleModelStateException(String message) {
        super(message);
    }
}
