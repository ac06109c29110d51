package dev.linnet.engine.tokenizer;

/**
 * A Java string in the UTF-8 form the tokenizer reads, with the char each byte came from: the one mapping
 * from the byte offsets of an {@link Encoding} back to a string's chars.
 *
 * <p>A well-formed string's form is its UTF-8 encoding; each lone surrogate (which has none) is written as
 * U+FFFD, three bytes, as {@link Tokenizer#encodeText} tokenizes it. (The JDK's
 * {@code getBytes(UTF_8)} writes '?', one byte, instead: byte offsets counted on that form are off by two
 * chars after every lone surrogate.)
 *
 * <p>Char spans cover whole characters: a byte span holding some of the bytes of a character covers all of
 * it, both chars of a surrogate pair included.
 */
public final class Utf8Form {
    private final String text;
    private final byte[] bytes;
    /** For each byte, the index of the first char of the character it encodes; text.length() at the end. */
    private final int[] charOfByte;

    private Utf8Form(String text, byte[] bytes, int[] charOfByte) {
        this.text = text;
        this.bytes = bytes;
        this.charOfByte = charOfByte;
    }

    public static Utf8Form of(String text) {
        int n = Utf8.encodedLength(text, 0, text.length());
        byte[] bytes = new byte[n];
        Utf8.encode(text, 0, text.length(), bytes, 0);
        int[] charOfByte = new int[n + 1];
        int b = 0;
        for (int c = 0; c < text.length(); ) {
            int chars = pairAt(text, c) ? 2 : 1;
            int width = Utf8.encodedLength(text, c, c + chars);
            for (int k = 0; k < width; k++) {
                charOfByte[b++] = c;
            }
            c += chars;
        }
        charOfByte[n] = text.length();
        return new Utf8Form(text, bytes, charOfByte);
    }

    public String text() {
        return text;
    }

    /** The UTF-8 bytes (the array is shared: do not change it). */
    public byte[] bytes() {
        return bytes;
    }

    /** Number of bytes. */
    public int length() {
        return bytes.length;
    }

    /**
     * The first char of a byte span starting at {@code start}: the first char of the character that byte
     * belongs to; the text's length for {@code start >= length()}.
     */
    public int charStart(int start) {
        return charOfByte[Math.max(0, Math.min(start, bytes.length))];
    }

    /**
     * One past the last char of the byte span [start, end): the end of the character holding its last byte;
     * an empty span ends where it starts.
     */
    public int charEnd(int start, int end) {
        if (end <= start) {
            return charStart(start);
        }
        int last = charStart(end - 1);
        if (last >= text.length()) {
            return text.length();
        }
        return last + (pairAt(text, last) ? 2 : 1);
    }

    private static boolean pairAt(String s, int c) {
        return Character.isHighSurrogate(s.charAt(c))
                && c + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(c + 1));
    }
}
