package dev.linnet.engine.tokenizer;

/**
 * A record's text as the tokenizer sees it, with what was replaced on the way in.
 *
 * <p>Each invalid UTF-8 sequence of the record (or lone UTF-16 surrogate of a Java string) became one
 * U+FFFD REPLACEMENT CHARACTER in {@link #text}. {@code replacedAt[k]} is that character's index in the
 * text, and {@code replacedFrom[k]..replacedTo[k]} the bytes of the record it stands for, so offsets can
 * point at the original bytes.
 */
final class DecodedText {
    private static final int[] NONE = new int[0];

    final String text;
    final int replacements;
    final int[] replacedAt;
    final int[] replacedFrom;
    final int[] replacedTo;

    DecodedText(String text, int replacements, int[] replacedAt, int[] replacedFrom, int[] replacedTo) {
        this.text = text;
        this.replacements = replacements;
        this.replacedAt = replacedAt;
        this.replacedFrom = replacedFrom;
        this.replacedTo = replacedTo;
    }

    /** Text whose UTF-8 form is the record itself: nothing was replaced. */
    static DecodedText clean(String text) {
        return new DecodedText(text, 0, NONE, NONE, NONE);
    }

    /**
     * Text given as a Java string, with lone surrogates (which have no UTF-8 form) counted as replacements.
     * Offsets then refer to the UTF-8 form of the returned text, where each replacement is 3 bytes.
     */
    static DecodedText ofJavaString(String s) {
        int lone = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    lone++;
                }
            }
        }
        if (lone == 0) {
            return clean(s);
        }
        char[] cs = s.toCharArray();
        for (int i = 0; i < cs.length; i++) {
            char c = cs[i];
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < cs.length && Character.isLowSurrogate(cs[i + 1])) {
                    i++;
                } else {
                    cs[i] = '\uFFFD';
                }
            }
        }
        return new DecodedText(new String(cs), lone, NONE, NONE, NONE);
    }
}
