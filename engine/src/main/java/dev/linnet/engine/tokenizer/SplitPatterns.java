package dev.linnet.engine.tokenizer;

/** Chooses how to run a tokenizer.json regex. */
final class SplitPatterns {
    private SplitPatterns() {}

    static SplitPattern forRegex(String onigurumaRegex) {
        return new RegexSplitPattern(onigurumaRegex);
    }
}
