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
 *
 * <p>An encoding of a Java string ({@link Tokenizer#encodeText}) with offsets also carries char offsets
 * into that string: token i covers {@code text.substring(charStart(i), charEnd(i))}, whole characters (see
 * {@link Utf8Form}: a lone surrogate is the three bytes of U+FFFD, a token of some of a character's bytes
 * covers the whole character).
 */
public final class Encoding {
    private final int[] ids;
    private final int[] starts;
    private final int[] ends;
    private final int[] charStarts;
    private final int[] charEnds;
    private final int replacements;

    Encoding(int[] ids, int[] starts, int[] ends, int replacements) {
        this(ids, starts, ends, null, null, replacements);
    }

    private Encoding(int[] ids, int[] starts, int[] ends, int[] charStarts, int[] charEnds, int replacements) {
        this.ids = ids;
        this.starts = starts;
        this.ends = ends;
        this.charStarts = charStarts;
        this.charEnds = charEnds;
        this.replacements = replacements;
    }

    /** This encoding with char offsets into {@code form}'s text added (its byte offsets refer to {@code form}). */
    Encoding withCharOffsets(Utf8Form form) {
        if (starts == null) {
            return this;
        }
        int n = ids.length;
        int[] cs = new int[n];
        int[] ce = new int[n];
        for (int i = 0; i < n; i++) {
            cs[i] = form.charStart(starts[i]);
            ce[i] = form.charEnd(starts[i], ends[i]);
        }
        return new Encoding(ids, starts, ends, cs, ce, replacements);
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

    /** Whether char offsets are known: offsets were asked for and a Java string was encoded. */
    public boolean hasCharOffsets() {
        return charStarts != null;
    }

    /** First char of token i in the string encoded. */
    public int charStart(int i) {
        requireCharOffsets();
        return charStarts[i];
    }

    /** One past the last char of token i in the string encoded. */
    public int charEnd(int i) {
        requireCharOffsets();
        return charEnds[i];
    }

    /** Every token's first char (the array is the caller's to keep). */
    public int[] charStarts() {
        requireCharOffsets();
        return charStarts;
    }

    /** Every token's end char, exclusive (the array is the caller's to keep). */
    public int[] charEnds() {
        requireCharOffsets();
        return charEnds;
    }

    /**
     * Invalid UTF-8 sequences in the record (or lone surrogates in a Java string) that were each replaced by
     * one U+FFFD before tokenizing; 0 for well-formed input. Callers count these to report bad input.
     */
    public int replacements() {
        return replacements;
    }

    private void requireCharOffsets() {
        if (charStarts == null) {
            throw new IllegalStateException(
                    starts == null
                            ? "offsets were not requested: encode with EncodeOptions.offsetsReported(true)"
                            : "char offsets are known only for a Java string: encode it with Tokenizer.encodeText");
        }
    }

    private void requireOffsets() {
        if (starts == null) {
            throw new IllegalStateException(
                    "offsets were not requested: encode with EncodeOptions.offsetsReported(true)");
        }
    }
}
