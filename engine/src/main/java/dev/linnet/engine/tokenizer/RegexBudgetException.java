package dev.linnet.engine.tokenizer;

/**
 * A tokenizer.json's Split regex needed more than its budget of work on one text (see
 * {@link RegexSplitPattern#STEPS_PER_CHAR}): its pattern backtracks catastrophically there. Raised while encoding,
 * for that text only; the message names the pattern.
 */
public final class RegexBudgetException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    RegexBudgetException(String message) {
        super(message);
    }
}
