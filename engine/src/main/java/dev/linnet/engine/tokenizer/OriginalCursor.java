package dev.linnet.engine.tokenizer;

/**
 * Maps character positions of a {@link DecodedText} to byte offsets in the original record, moving forward
 * (an encoding visits the text from left to right). A replaced character maps to the bytes it replaced.
 */
final class OriginalCursor {
    private final DecodedText d;
    private int pos;
    private int offset;
    private int nextReplaced;

    OriginalCursor(DecodedText d) {
        this.d = d;
    }

    /** Byte offset in the record where character position p starts (cheap when p does not go backwards). */
    int byteOffset(int p) {
        if (p < pos) {
            // only overlapping added-token matches step back: start over
            pos = 0;
            offset = 0;
            nextReplaced = 0;
        }
        String s = d.text;
        while (pos < p) {
            if (nextReplaced < d.replacedAt.length && d.replacedAt[nextReplaced] == pos) {
                offset = d.replacedTo[nextReplaced];
                nextReplaced++;
                pos++;
                continue;
            }
            char c = s.charAt(pos);
            if (c < 0x80) {
                offset++;
            } else if (c < 0x800) {
                offset += 2;
            } else if (Character.isHighSurrogate(c)
                    && pos + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(pos + 1))) {
                offset += 4;
                pos++;
            } else {
                offset += 3;
            }
            pos++;
        }
        return offset;
    }

    /** Index of the first replaced character at or after position p, for the segment that starts there. */
    int firstReplacedAtOrAfter(int p) {
        int[] at = d.replacedAt;
        int lo = 0;
        int hi = at.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (at[mid] < p) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    DecodedText text() {
        return d;
    }
}
