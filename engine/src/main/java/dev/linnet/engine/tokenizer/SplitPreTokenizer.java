package dev.linnet.engine.tokenizer;

/**
 * HF's Split pre-tokenizer: finds a pattern's matches and cuts around them according to a
 * {@link SplitBehavior}; with {@code invert}, the stretches between matches are the delimiters instead.
 */
final class SplitPreTokenizer implements PreTokenizer {
    private final SplitPattern pattern;
    private final SplitBehavior behavior;
    private final boolean invert;

    SplitPreTokenizer(SplitPattern pattern, SplitBehavior behavior, boolean invert) {
        this.pattern = pattern;
        this.behavior = behavior;
        this.invert = invert;
    }

    @Override
    public boolean cutsAfterNewline() {
        // the known patterns never match across "\n" followed by a non-space (PatternScanner)
        return pattern instanceof PatternScanner && behavior == SplitBehavior.ISOLATED && !invert;
    }

    @Override
    public void pretokenize(String text, int start, int end, PieceSink out) {
        if (behavior == SplitBehavior.ISOLATED) {
            // every match and every gap is its own piece: no need to look ahead (invert changes nothing)
            int[] prev = {start};
            pattern.findMatches(text, start, end, (s, e) -> {
                if (prev[0] < s) {
                    out.piece(text, prev[0], s, false);
                }
                if (s < e) {
                    out.piece(text, s, e, false);
                }
                prev[0] = e;
            });
            if (prev[0] < end) {
                out.piece(text, prev[0], end, false);
            }
            return;
        }
        // (start, end, isDelimiter) triples covering the whole stretch
        IntList parts = new IntList(16);
        int[] prev = {start};
        pattern.findMatches(text, start, end, (s, e) -> {
            if (prev[0] != s) {
                add(parts, prev[0], s, invert);
            }
            add(parts, s, e, !invert);
            prev[0] = e;
        });
        if (prev[0] != end) {
            add(parts, prev[0], end, invert);
        }
        int n = parts.size() / 3;
        switch (behavior) {
            case REMOVED:
                for (int i = 0; i < n; i++) {
                    if (parts.get(3 * i + 2) == 0) {
                        emit(text, parts.get(3 * i), parts.get(3 * i + 1), out);
                    }
                }
                break;
            case MERGED_WITH_PREVIOUS:
                // a delimiter joins the piece before it, unless that piece was itself a delimiter
                joinForward(
                        text, parts, n, out, (delimiter, previousWasDelimiter) -> delimiter && !previousWasDelimiter);
                break;
            case MERGED_WITH_NEXT: {
                // the mirror image: walk from the end, a delimiter joins the piece after it
                int[] starts = new int[n];
                int[] ends = new int[n];
                int m = 0;
                boolean previousWasDelimiter = false;
                for (int i = n - 1; i >= 0; i--) {
                    int s = parts.get(3 * i);
                    int e = parts.get(3 * i + 1);
                    boolean delimiter = parts.get(3 * i + 2) != 0;
                    if (delimiter && !previousWasDelimiter && m > 0) {
                        starts[m - 1] = s;
                    } else {
                        starts[m] = s;
                        ends[m] = e;
                        m++;
                    }
                    previousWasDelimiter = delimiter;
                }
                for (int i = m - 1; i >= 0; i--) {
                    emit(text, starts[i], ends[i], out);
                }
                break;
            }
            case CONTIGUOUS:
                // neighbours of the same kind join
                joinForward(
                        text, parts, n, out, (delimiter, previousWasDelimiter) -> delimiter == previousWasDelimiter);
                break;
            default:
                throw new IllegalStateException(behavior.name());
        }
    }

    private static void add(IntList parts, int s, int e, boolean delimiter) {
        parts.add(s);
        parts.add(e);
        parts.add(delimiter ? 1 : 0);
    }

    /** Whether a piece joins the one before it, given its kind and the kind of the piece before. */
    private interface JoinRule {
        boolean joins(boolean delimiter, boolean previousWasDelimiter);
    }

    /** Walks the pieces (start, end, delimiter flag; three ints each) in order, joining those the rule joins. */
    private static void joinForward(String text, IntList parts, int n, PieceSink out, JoinRule rule) {
        int curStart = -1;
        int curEnd = -1;
        boolean previousWasDelimiter = false;
        for (int i = 0; i < n; i++) {
            int s = parts.get(3 * i);
            int e = parts.get(3 * i + 1);
            boolean delimiter = parts.get(3 * i + 2) != 0;
            if (rule.joins(delimiter, previousWasDelimiter) && curStart >= 0) {
                curEnd = e;
            } else {
                if (curStart >= 0) {
                    emit(text, curStart, curEnd, out);
                }
                curStart = s;
                curEnd = e;
            }
            previousWasDelimiter = delimiter;
        }
        if (curStart >= 0) {
            emit(text, curStart, curEnd, out);
        }
    }

    private static void emit(String text, int s, int e, PieceSink out) {
        if (s < e) {
            out.piece(text, s, e, false);
        }
    }
}
