package dev.linnet.evaluation;

/**
 * A log line as the model reads it: its tokens (context part, scored part, newline) and the range of them
 * whose mean surprisal is the line's score. Variable fields (times, node names) go in the context part:
 * they are read but not scored, since no model can predict them.
 */
public record ScoredLine(int[] tokens, int scoreFrom, int scoreTo) {

    public ScoredLine {
        if (scoreFrom < 0 || scoreTo > tokens.length || scoreFrom >= scoreTo) {
            throw new IllegalArgumentException("score range [" + scoreFrom + ", " + scoreTo
                    + ") is empty or outside the line's " + tokens.length + " tokens");
        }
    }

    /** context + scored + "\n", each encoded on its own (so the scored part's tokens are known exactly). */
    public static ScoredLine of(TextEncoder encoder, String context, String scored) {
        int[] c = context.isEmpty() ? new int[0] : encoder.encode(context);
        int[] s = encoder.encode(scored);
        int[] nl = encoder.encode("\n");
        if (s.length == 0) throw new IllegalArgumentException("nothing to score in line '" + context + scored + "'");
        int[] all = new int[c.length + s.length + nl.length];
        System.arraycopy(c, 0, all, 0, c.length);
        System.arraycopy(s, 0, all, c.length, s.length);
        System.arraycopy(nl, 0, all, c.length + s.length, nl.length);
        return new ScoredLine(all, c.length, c.length + s.length);
    }
}
