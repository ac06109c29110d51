package dev.linnet.flink.jobs;

/**
 * Token ids of a text with, for each token, the span of the text it came from (char offsets, end exclusive).
 * A token that covers part of a character (a byte of a multi-byte character) spans the whole character.
 */
public record TokenizedText(int[] ids, int[] starts, int[] ends) {
    public TokenizedText {
        if (ids.length != starts.length || ids.length != ends.length) {
            throw new IllegalArgumentException(
                    "ids, starts and ends differ in length: " + ids.length + ", " + starts.length + ", " + ends.length);
        }
    }

    public int size() {
        return ids.length;
    }
}
