package dev.linnet.flink.local;

import java.util.List;

/**
 * Log lines to feed an embedded run: each line with its stream key (the log it came from), its line number
 * in that log, and its time when the line starts with one; the faults known to be in them; and a sentence
 * saying where they come from.
 */
record SampleLog(List<Line> lines, List<Fault> faults, String description) {

    /** @param timestamp ms since the epoch, or null when the line carries no time */
    record Line(String key, int lineNumber, Long timestamp, String text) {
        Line(String key, String text) {
            this(key, 0, null, text);
        }
    }

    /** A fault injected while the log was recorded: lines {@code firstLine..lastLine} (1-based) of stream {@code key}. */
    record Fault(String key, String description, int firstLine, int lastLine) {}
}
