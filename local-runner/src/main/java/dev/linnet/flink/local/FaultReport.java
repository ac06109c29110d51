package dev.linnet.flink.local;

import dev.linnet.flink.jobs.AnomalyRecord;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the flagged lines of an embedded run line up with the faults injected into the sample logs: a fault
 * counts as caught when a line within it, or within {@value #AFTER} lines after it, is flagged.
 */
final class FaultReport {

    /** Lines after a fault's last line that still count for it (a fault's effects trail its own lines). */
    static final int AFTER = 3;

    /** One fault: what it was and what the job said about its lines. */
    record Outcome(SampleLog.Fault fault, int lines, int anomalies, long firstTimestamp, long lastTimestamp) {
        boolean caught() {
            return anomalies > 0;
        }
    }

    final List<Outcome> outcomes = new ArrayList<>();
    int anomaliesOutside;
    int linesOutside;

    static FaultReport of(List<SampleLog.Fault> faults, Map<String, SampleLog.Line> lines, List<AnomalyRecord> scored) {
        FaultReport report = new FaultReport();
        boolean[] inside = new boolean[scored.size()];
        for (SampleLog.Fault f : faults) {
            int n = 0;
            int flagged = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (int i = 0; i < scored.size(); i++) {
                AnomalyRecord r = scored.get(i);
                SampleLog.Line l = lines.get(r.partition + "@" + r.offset);
                if (l != null
                        && l.key().equals(f.key())
                        && l.lineNumber() >= f.firstLine()
                        && l.lineNumber() <= f.lastLine() + AFTER) {
                    inside[i] = true;
                    n++;
                    flagged += r.anomaly ? 1 : 0;
                    first = Math.min(first, r.timestamp);
                    last = Math.max(last, r.timestamp);
                }
            }
            report.outcomes.add(new Outcome(f, n, flagged, first, last));
        }
        for (int i = 0; i < scored.size(); i++) {
            if (!inside[i]) {
                report.linesOutside++;
                report.anomaliesOutside += scored.get(i).anomaly ? 1 : 0;
            }
        }
        return report;
    }

    void print(PrintStream out) {
        if (outcomes.isEmpty()) {
            return;
        }
        long caught = outcomes.stream().filter(Outcome::caught).count();
        out.printf(
                Locale.ROOT,
                "injected faults caught: %d of %d (a fault's lines and the %d after them)%n",
                caught,
                outcomes.size(),
                AFTER);
        for (Outcome o : outcomes) {
            out.printf(
                    Locale.ROOT,
                    "  %s %-48s %s lines %d-%d: %d of %d lines flagged%n",
                    o.caught() ? "[caught]" : "[missed]",
                    o.fault().description(),
                    o.fault().key(),
                    o.fault().firstLine(),
                    o.fault().lastLine(),
                    o.anomalies(),
                    o.lines());
        }
        out.printf(
                Locale.ROOT,
                "flagged elsewhere: %d of %d lines (%.1f %%)%n",
                anomaliesOutside,
                linesOutside,
                linesOutside == 0 ? 0.0 : 100.0 * anomaliesOutside / linesOutside);
    }
}
