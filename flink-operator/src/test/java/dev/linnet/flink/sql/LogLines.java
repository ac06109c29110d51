package dev.linnet.flink.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Deterministic log-like rows (id, host, line) for the SQL tests. */
final class LogLines {

    private static final String[] WORDS = {
        "user",
        "error",
        "the",
        "connection",
        "to",
        "server",
        "timed",
        "out",
        "ok",
        "request",
        "id",
        "=",
        "42",
        "1200",
        "and",
        "retry",
        "in",
        "5s",
        "disk",
        "at",
        "90%",
        "état",
        "naïve"
    };

    record LogRow(int id, String host, String line) {}

    private LogLines() {}

    static List<LogRow> rows(long seed, int hosts, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        List<LogRow> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int words = 1 + r.nextInt(12);
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < words; w++) {
                if (w > 0) {
                    line.append(' ');
                }
                line.append(WORDS[r.nextInt(WORDS.length)]);
            }
            rows.add(new LogRow(i, "host-" + r.nextInt(hosts), line.toString()));
        }
        return rows;
    }
}
