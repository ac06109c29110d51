package dev.linnet.engine.tokenizer;

/**
 * The result of encoding one record: token ids, optionally each token's byte span in the record, and how
 * many invalid UTF-8 sequences (or lone surrogates) were replaced by U+FFFD before tokenizing.
 *
 * <p>Offsets are UTF-8 byte offsets into the record as given: token i covers
 * {@code record[start(i), end(i))}. A token made of some of the bytes of one character covers just those
 * bytes; a token that covers part of a stretch that normalization changed, or part of a replaced invalid
 * sequence, covers the whole stretch. A space added by ByteLevel's add_prefix_space has no bytes in the
 * record: a token that is only that space has an empty span. Tokens added by the template have the span
 * [0, 0).
 */
public final class Encoding {
    private final int[] ids;
    private final int[] starts;
    private final int[] ends;
    private final int replacements;

    Encoding(int[] ids, int[] starts, int[] ends, int replacements) {
        this.ids = ids;
        this.starts = starts;
        this.ends = ends;
        this.replacements = replacements;
    }

    /** The token ids (the array is the caller's to keep). */
    public int[] ids() {
        return ids;
    }

    public int size() {
        return ids.length;
    }

    /** Whether offsets were asked for. */
    public boolean hasOffsets() {
        return starts != null;
    }

    /** First byte of token i in the record. */
    public int start(int i) {
        requireOffsets();
        return starts[i];
    }

    /** One past the last byte of token i in the record. */
    public int end(int i) {
        requireOffsets();
        return ends[i];
    }

    /**
     * Invalid UTF-8 sequences in the record (or lone surrogates in a Java string) that were each replaced by
     * one U+FFFD before tokenizing; 0 for well-formed input. Callers count these to report bad input.
     */
    public int replacements() {
        return replacements;
    }

    private void requireOffsets() {
        if (starts == null) {
            throw new IllegalStateException("offsets were not requested: encode with EncodeOptions.offsetsReported(true)");
        }
    }
}
