package dev.linnet.engine.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file or directory that cannot be read as asked: malformed, inconsistent, truncated, or a
 * tensor of another dtype or shape than the caller expects. The message always starts with the file and,
 * where one tensor is concerned, names it, so a failing load says where to look without a debugger.
 */
public class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    /** Hostile headers can carry megabyte-long names; messages keep only the start of them. */
    static final int MAX_NAME_CHARS = 200;

    private final transient Path file;
    private final String tensor;
    private final String problem;

    public CheckpointFormatException(Path file, String tensor, String problem) {
        this(file, tensor, problem, null);
    }

    public CheckpointFormatException(Path file, String tensor, String problem, Throwable cause) {
        super(compose(file, tensor, problem), cause);
        this.file = file;
        this.tensor = tensor;
        this.problem = problem;
    }

    /** A problem with the file as a whole (header length, JSON syntax), no single tensor concerned. */
    public CheckpointFormatException(Path file, String problem) {
        this(file, null, problem, null);
    }

    /**
     * A message composed by the caller, for checks made above this package (a model loader finding a
     * tensor missing): the message should name the file or directory and the tensor itself.
     * {@link #file()} and {@link #tensor()} are null then.
     */
    public CheckpointFormatException(String message) {
        super(message);
        this.file = null;
        this.tensor = null;
        this.problem = message;
    }

    /** The file at fault (null when made from a caller's message alone). */
    public Path file() {
        return file;
    }

    /** The tensor concerned, or null when the problem is with the file as a whole. */
    public String tensor() {
        return tensor;
    }

    /** The message without the file and tensor prefix. */
    public String problem() {
        return problem;
    }

    private static String compose(Path file, String tensor, String problem) {
        StringBuilder b = new StringBuilder();
        b.append(file == null ? "<unknown file>" : file.toString());
        if (tensor != null) {
            b.append(": tensor ").append(quote(tensor));
        }
        return b.append(": ").append(problem).toString();
    }

    /** A name for a message: quoted, control characters escaped, cut after MAX_NAME_CHARS. */
    static String quote(String name) {
        StringBuilder b = new StringBuilder(Math.min(name.length(), MAX_NAME_CHARS) + 16).append('\'');
        int n = Math.min(name.length(), MAX_NAME_CHARS);
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('\'');
        if (name.length() > n) {
            b.append("... (").append(name.length()).append(" chars)");
        }
        return b.toString();
    }
}
