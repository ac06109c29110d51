package dev.linnet.engine.tokenizer;

/**
 * One entry of tokenizer.json's "added_tokens": a string matched as a whole before pre-tokenization.
 *
 * @param content    the text that is matched
 * @param singleWord match only where no word character touches either end
 * @param lstrip     the match takes in the whitespace before it
 * @param rstrip     the match takes in the whitespace after it
 * @param normalized matched in the normalized text (else in the raw text, before normalization)
 * @param special    a control token (such as {@code <|endoftext|>}): recognised only when asked for
 */
public record AddedToken(
        String content, boolean singleWord, boolean lstrip, boolean rstrip, boolean normalized, boolean special) {}
