package dev.linnet.engine.state;

/** Bytes that are not a state this model can resume: corrupt, of another format version, or of another model. */
public class StateFormatException extends IllegalArgumentException {
    public StateFormatException(String message) {
        super(message);
    }
}
