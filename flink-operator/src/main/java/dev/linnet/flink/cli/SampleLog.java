package dev.linnet.flink.cli;

import java.util.List;

/**
 * Log lines to feed an embedded run: each line with its stream key (the service it came from), in the order
 * they are sent, and a sentence saying where they come from.
 */
record SampleLog(List<Line> lines, String description) {

    record Line(String key, String text) {}
}
