package dev.linnet.flink.sql;

/**
 * A text's token ids and where each token came from, in chars (what SQL's SUBSTRING counts, from 0 here, end
 * exclusive). A token holding part of a character spans the whole character.
 */
final class TextTokens {

    private final String text;
    private final int[] ids;
    private final int[] charStarts;
    private final int[] charEnds;

    TextTokens(String text, int[] ids, int[] charStarts, int[] charEnds) {
        this.text = text;
        this.ids = ids;
        this.charStarts = charStarts;
        this.charEnds = charEnds;
    }

    int[] ids() {
        return ids;
    }

    int size() {
        return ids.length;
    }

    /** First char of token i. */
    int startChar(int i) {
        return charStarts[i];
    }

    /** One past the last char of token i. */
    int endChar(int i) {
        return charEnds[i];
    }

    /** The text of token i (its char span). */
    String tokenText(int i) {
        return text.substring(startChar(i), endChar(i));
    }
}
