package dev.linnet.flink.jobs;

/** One of the most surprising tokens of a line: where it is (char offsets, end exclusive) and how surprising. A POJO. */
public final class SurprisingToken {
    public int start;
    public int end;
    public String text;
    /** Nats. */
    public double surprisal;

    public SurprisingToken() {}

    public SurprisingToken(int start, int end, String text, double surprisal) {
        this.start = start;
        this.end = end;
        this.text = text;
        this.surprisal = surprisal;
    }
}
