package dev.linnet.flink.jobs;

/** Turns a line of text into the model's token ids, keeping where each token came from. Thread-confined. */
public interface TextTokenizer {

    TokenizedText encode(String text);

    /** Says what this tokenizer is, for the run's banner. */
    String describe();
}
