package dev.linnet.engine.tokenizer;

/** What a Split (or ByteLevel) pre-tokenizer looks for in a piece of text. */
interface SplitPattern {

    /** Receives matches in order, as [start, end) in the text. */
    interface MatchSink {
        void match(int start, int end);
    }

    /**
     * Reports every non-overlapping match in text[start, end), left to right, with the region treated as the
     * whole input (anchors and look-arounds do not see outside it, as when HF runs the regex on a slice).
     */
    void findMatches(String text, int start, int end, MatchSink sink);
}
