package dev.linnet.flink.jobs;

import dev.linnet.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which tokenizer a job uses, in a form that travels to the TaskManagers: the model's tokenizer.json (at a
 * path that must exist there, like the model itself) or the byte-level stand-in.
 */
public final class TokenizerSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Null for the byte-level tokenizer. */
    private final String tokenizerJson;

    private TokenizerSpec(String tokenizerJson) {
        this.tokenizerJson = tokenizerJson;
    }

    public static TokenizerSpec byteLevel() {
        return new TokenizerSpec(null);
    }

    public static TokenizerSpec tokenizerJson(Path file) {
        return new TokenizerSpec(file.toAbsolutePath().toString());
    }

    public boolean isByteLevel() {
        return tokenizerJson == null;
    }

    /** Loads the tokenizer (once per operator instance, in {@code open}). */
    public TextTokenizer create() {
        if (tokenizerJson == null) {
            return new ByteLevelTokenizer();
        }
        Path file = Path.of(tokenizerJson);
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(
                    new IOException("tokenizer file " + file + " does not exist on this machine"));
        }
        try {
            return new HfTextTokenizer(Tokenizer.load(file), file.getParent().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return tokenizerJson == null ? "byte-level" : tokenizerJson;
    }
}
