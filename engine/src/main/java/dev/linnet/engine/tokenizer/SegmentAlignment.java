package dev.linnet.engine.tokenizer;

/**
 * Where each position of a normalized text segment came from in the original record (UTF-8 bytes).
 *
 * <p>Most of a segment is <em>regular</em>: its characters are the record's characters, so byte offsets
 * run in step. The rest are <em>units</em>: a character that replaced an invalid UTF-8 sequence, or a
 * stretch that normalization changed (a base letter with its combining marks composed, a ligature split
 * into letters). A unit maps as a whole to the bytes it came from: a token that covers only part of it gets
 * the unit's whole span. (HF tokenizers instead gives a composed character the span of its first original
 * character only; here the span covers the marks too.)
 */
final class SegmentAlignment {
    private final String normalized;
    private final int originStart;
    /** Units: normalized [unitFrom, unitTo) came from record bytes [unitByteFrom, unitByteTo). Sorted, disjoint. */
    private final int[] unitFrom;

    private final int[] unitTo;
    private final int[] unitByteFrom;
    private final int[] unitByteTo;
    // forward cursor over regular positions
    private int curPos;
    private int curByte;
    private int curUnit;

    private SegmentAlignment(String normalized, int originStart, IntList units) {
        this.normalized = normalized;
        this.originStart = originStart;
        int n = units.size() / 4;
        unitFrom = new int[n];
        unitTo = new int[n];
        unitByteFrom = new int[n];
        unitByteTo = new int[n];
        for (int k = 0; k < n; k++) {
            unitFrom[k] = units.get(4 * k);
            unitTo[k] = units.get(4 * k + 1);
            unitByteFrom[k] = units.get(4 * k + 2);
            unitByteTo[k] = units.get(4 * k + 3);
        }
        curByte = originStart;
    }

    /**
     * Alignment of text[dStart, dEnd) of the decoded record, whose normalized form is {@code normalized}.
     * The cursor must be at or before dStart; it is left at dEnd.
     */
    static SegmentAlignment build(
            OriginalCursor cursor, int dStart, int dEnd, String normalized, TextNormalizer normalizer) {
        DecodedText d = cursor.text();
        String s = d.text;
        int originStart = cursor.byteOffset(dStart);
        IntList units = new IntList(8);
        boolean unchanged =
                normalized.length() == dEnd - dStart && normalized.regionMatches(0, s, dStart, dEnd - dStart);
        if (unchanged) {
            addReplacedUnits(cursor, dStart, dEnd, dStart, 0, units);
            cursor.byteOffset(dEnd);
            return new SegmentAlignment(normalized, originStart, units);
        }
        // Normalize chunk by chunk (a starter and the marks after it) to see which stretches changed.
        StringBuilder rebuilt = new StringBuilder(normalized.length());
        int a = dStart;
        while (a < dEnd) {
            int b = a + Character.charCount(s.codePointAt(a));
            boolean ascii = s.charAt(a) < 0x80;
            while (b < dEnd) {
                int cp = s.codePointAt(b);
                if (startsChunk(cp)) {
                    break;
                }
                ascii = false;
                b += Character.charCount(cp);
            }
            String original = s.substring(a, b);
            String t = ascii ? original : normalizer.normalize(original);
            int nPos = rebuilt.length();
            if (t.equals(original)) {
                addReplacedUnits(cursor, a, b, a, nPos, units);
            } else {
                units.add(nPos);
                units.add(nPos + t.length());
                units.add(cursor.byteOffset(a));
                units.add(cursor.byteOffset(b));
            }
            rebuilt.append(t);
            a = b;
        }
        int originEnd = cursor.byteOffset(dEnd);
        if (!rebuilt.toString().equals(normalized)) {
            // chunking did not reproduce the whole-text normalization: map the segment as one unit
            units.clear();
            units.add(0);
            units.add(normalized.length());
            units.add(originStart);
            units.add(originEnd);
        }
        return new SegmentAlignment(normalized, originStart, units);
    }

    /** Replaced characters in decoded [from, to), copied as units at normalized position nBase + (at - dBase). */
    private static void addReplacedUnits(OriginalCursor cursor, int from, int to, int dBase, int nBase, IntList units) {
        DecodedText d = cursor.text();
        for (int k = cursor.firstReplacedAtOrAfter(from); k < d.replacedAt.length && d.replacedAt[k] < to; k++) {
            int n = nBase + d.replacedAt[k] - dBase;
            units.add(n);
            units.add(n + 1);
            units.add(d.replacedFrom[k]);
            units.add(d.replacedTo[k]);
        }
    }

    /**
     * Whether a chunk may start at this code point: not at a combining mark nor at a Hangul medial vowel or
     * final consonant, which normalization joins to what comes before. (If some other character joins too,
     * the chunks do not rebuild the whole normalization and the segment falls back to one unit.)
     */
    static boolean startsChunk(int cp) {
        int t = Character.getType(cp);
        if (t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK || t == Character.ENCLOSING_MARK) {
            return false;
        }
        return !(cp >= 0x1160 && cp <= 0x11FF) && !(cp >= 0xD7B0 && cp <= 0xD7FF);
    }

    /** Whether normalized [from, to) touches no unit: its bytes map one to one onto the record. */
    boolean isRegular(int from, int to) {
        int k = firstUnitEndingAfter(from);
        return k >= unitFrom.length || unitFrom[k] >= to;
    }

    /**
     * Record byte offset of normalized position p. Inside a unit: the unit's first byte, or its end if
     * {@code asEnd}.
     */
    int byteOffset(int p, boolean asEnd) {
        int k = firstUnitEndingAfter(p);
        if (k < unitFrom.length && unitFrom[k] < p) {
            return asEnd ? unitByteTo[k] : unitByteFrom[k];
        }
        if (k < unitFrom.length && unitFrom[k] == p && p < unitTo[k]) {
            return unitByteFrom[k];
        }
        // regular: count from the cursor if it is behind p with no unit between, else from the last unit end
        if (curPos > p || (curUnit < k)) {
            int prev = k - 1;
            curPos = prev >= 0 ? unitTo[prev] : 0;
            curByte = prev >= 0 ? unitByteTo[prev] : originStart;
            curUnit = k;
        }
        curByte += Utf8.encodedLength(normalized, curPos, p);
        curPos = p;
        return curByte;
    }

    /** First unit whose end is after p (units before it end at or before p). */
    private int firstUnitEndingAfter(int p) {
        int lo = 0;
        int hi = unitTo.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (unitTo[mid] <= p) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Per-byte record spans for the UTF-8 bytes of normalized [from, to) (after {@code prefixBytes} synthetic
     * bytes, which map to an empty span at the piece's start): fills starts/ends, each of length >= bytes.
     */
    void mapBytes(int from, int to, int prefixBytes, int[] starts, int[] ends) {
        int base = byteOffset(from, false);
        int j = 0;
        for (; j < prefixBytes; j++) {
            starts[j] = base;
            ends[j] = base;
        }
        int p = from;
        while (p < to) {
            int k = firstUnitEndingAfter(p);
            if (k < unitFrom.length && unitFrom[k] <= p) {
                int stop = Math.min(unitTo[k], to);
                int n = Utf8.encodedLength(normalized, p, stop);
                for (int i = 0; i < n; i++, j++) {
                    starts[j] = unitByteFrom[k];
                    ends[j] = unitByteTo[k];
                }
                p = stop;
                continue;
            }
            int stop = k < unitFrom.length ? Math.min(unitFrom[k], to) : to;
            int at = byteOffset(p, false);
            int n = Utf8.encodedLength(normalized, p, stop);
            for (int i = 0; i < n; i++, j++) {
                starts[j] = at + i;
                ends[j] = at + i + 1;
            }
            p = stop;
        }
    }
}
