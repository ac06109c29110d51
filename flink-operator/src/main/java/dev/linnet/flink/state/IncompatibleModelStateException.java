package dev.linnet.flink.state;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Restoring keyed state written under one model into a job that runs another. Flink fails the restore with
 * this as the cause; the message says which model wrote the state, which one runs now, and what to do.
 */
@PublicEvolving
public final class IncompatibleModelStateException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public IncompatibleModelStateException(String message) {
        super(message);
    }
}
