package dev.linnet.flink.sql;

/**
 * A text's token ids and where each token came from: the UTF-8 byte span the tokenizer reports, and the map
 * from bytes back to the text's chars, so a span can be given in chars (what SQL's SUBSTRING counts, from 0
 * here).
 */
final class TextTokens {

    private final String text;
    private final int[] ids;
    private final int[] byteStarts;
    private final int[] byteEnds;
    /** For each byte of the text's UTF-8 form, the char it encodes; one more entry for the end. */
    private final int[] charOfByte;

    TextTokens(String text, int[] ids, int[] byteStarts, int[] byteEnds, int[] charOfByte) {
        this.text = text;
        this.ids = ids;
        this.byteStarts = byteStarts;
        this.byteEnds = byteEnds;
        this.charOfByte = charOfByte;
    }

    int[] ids() {
        return ids;
    }

    int size() {
        return ids.length;
    }

    /** First char of token i. */
    int startChar(int i) {
        return charOfByte[clampByte(byteStarts[i])];
    }

    /** One past the last char of token i; a token holding part of a character spans the whole character. */
    int endChar(int i) {
        int start = byteStarts[i];
        int end = byteEnds[i];
        if (end <= start) {
            return startChar(i);
        }
        int lastChar = charOfByte[clampByte(end - 1)];
        // a supplementary character is two chars (a surrogate pair): end after both
        return Math.min(lastChar + Character.charCount(text.codePointAt(lastChar)), text.length());
    }

    /** The text of token i (its char span). */
    String tokenText(int i) {
        return text.substring(startChar(i), endChar(i));
    }

    private int clampByte(int b) {
        return Math.max(0, Math.min(b, charOfByte.length - 1));
    }
}
