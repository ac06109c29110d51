package dev.linnet.engine.tokenizer;

/**
 * Hand-written matchers for the two regexes nearly every byte-level BPE tokenizer uses, several times
 * faster than java.util.regex and returning exactly its matches (a test compares them on random text):
 *
 * <pre>
 * GPT-2:   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 * cl100k:  (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 * </pre>
 *
 * (cl100k's form is also Llama 3's; with {@code \p{N}} instead of {@code \p{N}{1,3}} it is Qwen 2's.) Every
 * position starts a match of these patterns, so the matches tile the text. Each method below follows the
 * alternatives in order, with the backtracking worked out by hand.
 */
final class PatternScanner implements SplitPattern {
    /** The GPT-2 pattern (case-sensitive contractions, a space joins the run after it). */
    static PatternScanner gpt2() {
        return new PatternScanner(false, 0);
    }

    /** The cl100k / Llama 3 family, with numbers cut into runs of at most {@code maxDigits}. */
    static PatternScanner cl100k(int maxDigits) {
        return new PatternScanner(true, maxDigits);
    }

    private final boolean cl100k;
    private final int maxDigits;

    private PatternScanner(boolean cl100k, int maxDigits) {
        this.cl100k = cl100k;
        this.maxDigits = maxDigits;
    }

    @Override
    public void findMatches(String text, int start, int end, MatchSink sink) {
        int i = start;
        while (i < end) {
            int e = cl100k ? cl100kMatch(text, i, end) : gpt2Match(text, i, end);
            sink.match(i, e);
            i = e;
        }
    }

    private int gpt2Match(String s, int i, int end) {
        char c = s.charAt(i);
        if (c == '\'' && i + 1 < end) {
            int k = contraction(s, i + 1, end, false);
            if (k > 0) {
                return i + 1 + k;
            }
        }
        int cp = s.codePointAt(i);
        byte kind = CharKinds.kind(cp);
        int next = i + Character.charCount(cp);
        if (c == ' ' && next < end) {
            byte nextKind = CharKinds.kind(s.codePointAt(next));
            if (nextKind == CharKinds.LETTER || nextKind == CharKinds.NUMBER || nextKind == CharKinds.OTHER) {
                return run(s, next, end, nextKind);
            }
        }
        if (kind == CharKinds.LETTER || kind == CharKinds.NUMBER || kind == CharKinds.OTHER) {
            return run(s, i, end, kind);
        }
        return spaceRun(s, i, end);
    }

    private int cl100kMatch(String s, int i, int end) {
        char c = s.charAt(i);
        if (c == '\'' && i + 1 < end) {
            int k = contraction(s, i + 1, end, true);
            if (k > 0) {
                return i + 1 + k;
            }
        }
        int cp = s.codePointAt(i);
        byte kind = CharKinds.kind(cp);
        int next = i + Character.charCount(cp);
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (kind == CharKinds.LETTER) {
            return run(s, next, end, CharKinds.LETTER);
        }
        if (kind != CharKinds.NUMBER
                && kind != CharKinds.NEWLINE
                && next < end
                && CharKinds.kind(s.codePointAt(next)) == CharKinds.LETTER) {
            return run(s, next, end, CharKinds.LETTER);
        }
        // \p{N}{1,maxDigits}
        if (kind == CharKinds.NUMBER) {
            int e = next;
            for (int n = 1; n < maxDigits && e < end; n++) {
                int d = s.codePointAt(e);
                if (CharKinds.kind(d) != CharKinds.NUMBER) {
                    break;
                }
                e += Character.charCount(d);
            }
            return e;
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        int other = -1;
        if (kind == CharKinds.OTHER) {
            other = i;
        } else if (c == ' ' && next < end && CharKinds.kind(s.codePointAt(next)) == CharKinds.OTHER) {
            other = next;
        }
        if (other >= 0) {
            int e = run(s, other, end, CharKinds.OTHER);
            while (e < end && (s.charAt(e) == '\r' || s.charAt(e) == '\n')) {
                e++;
            }
            return e;
        }
        // white space: \s*[\r\n]+ ends after the run's last newline, if it has one
        int j = i;
        int afterLastNewline = -1;
        while (j < end) {
            char w = s.charAt(j);
            if (w == '\r' || w == '\n') {
                afterLastNewline = j + 1;
            } else if (!AddedVocabulary.isWhiteSpace(w)) {
                break;
            }
            j++;
        }
        if (afterLastNewline > 0) {
            return afterLastNewline;
        }
        return spaceTail(i, j, end);
    }

    /** A maximal run of code points of one kind from i (the first is known to be of that kind). */
    private static int run(String s, int i, int end, byte kind) {
        int e = i;
        while (e < end) {
            char ch = s.charAt(e);
            if (ch < 128) {
                if (CharKinds.kind(ch) != kind) {
                    break;
                }
                e++;
                continue;
            }
            int cp = s.codePointAt(e);
            if (CharKinds.kind(cp) != kind) {
                break;
            }
            e += Character.charCount(cp);
        }
        return e;
    }

    /** \s+(?!\S)|\s+ from i, which is white space. (White space is all in the BMP.) */
    private static int spaceRun(String s, int i, int end) {
        int j = i;
        while (j < end && AddedVocabulary.isWhiteSpace(s.charAt(j))) {
            j++;
        }
        return spaceTail(i, j, end);
    }

    /** The run [i, j) of white space: all of it at the end of the text, else all but its last char, if that leaves any. */
    private static int spaceTail(int i, int j, int end) {
        if (j == end || j - i < 2) {
            return j;
        }
        return j - 1;
    }

    /**
     * Length after the apostrophe of 's 't 're 've 'm 'll 'd at s[p], or 0. Case-insensitive as the
     * (?i) group matches with Unicode case folding: only 's' gains a third spelling, U+017F (long s).
     */
    private static int contraction(String s, int p, int end, boolean ignoreCase) {
        char a = s.charAt(p);
        char b = p + 1 < end ? s.charAt(p + 1) : 0;
        if (ignoreCase) {
            a = fold(a);
            b = fold(b);
        }
        switch (a) {
            case 's':
            case 't':
            case 'm':
            case 'd':
                return 1;
            case 'r':
            case 'v':
                return b == 'e' ? 2 : 0;
            case 'l':
                return b == 'l' ? 2 : 0;
            default:
                return 0;
        }
    }

    private static char fold(char c) {
        if (c >= 'A' && c <= 'Z') {
            return (char) (c + 32);
        }
        return c == '\u017F' ? 's' : c;
    }
}
