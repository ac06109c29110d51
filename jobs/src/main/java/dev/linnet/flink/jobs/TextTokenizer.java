package dev.linnet.flink.jobs;

/** Turns a line of text into the model's token ids, keeping where each token came from. Thread-confined. */
public interface TextTokenizer {

    TokenizedText encode(String text);

    /** The text of some token ids (bytes that are not valid UTF-8 become U+FFFD). */
    String decode(int[] ids);

    /** Says what this tokenizer is, for the run's banner. */
    String describe();
}
