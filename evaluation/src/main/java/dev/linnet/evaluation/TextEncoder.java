package dev.linnet.evaluation;

/**
 * Turns text into the model's token ids. The evaluations only need this much of a tokenizer, so tests can
 * run them with a trivial one (one token per byte) and the command with the project's BPE tokenizer.
 */
@FunctionalInterface
public interface TextEncoder {
    int[] encode(String text);
}
