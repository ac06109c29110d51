package dev.linnet.engine.tokenizer;

import java.util.Map;

/**
 * Chooses how to run a tokenizer.json regex: a hand-written scanner for the well-known patterns (same
 * matches, several times faster), java.util.regex for anything else.
 */
final class SplitPatterns {
    static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Exact pattern strings with a scanner that gives the same matches (checked by PatternScannerTest). */
    static final Map<String, PatternScanner> KNOWN = Map.of(
            ByteLevelPreTokenizer.GPT2_PATTERN,
            PatternScanner.gpt2(),
            LLAMA3,
            PatternScanner.cl100k(3),
            QWEN2,
            PatternScanner.cl100k(1));

    private SplitPatterns() {}

    static SplitPattern forRegex(String onigurumaRegex) {
        PatternScanner known = KNOWN.get(onigurumaRegex);
        return known != null ? known : new RegexSplitPattern(onigurumaRegex);
    }
}
