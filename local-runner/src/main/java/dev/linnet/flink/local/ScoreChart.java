package dev.linnet.flink.local;

import dev.linnet.flink.jobs.AlarmRule;
import dev.linnet.flink.jobs.AnomalyRecord;
import dev.linnet.flink.jobs.AnomalySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A self-contained HTML page (inline SVG, no scripts, no external files) with one panel per key: each line's
 * mean surprisal over time, the key's anomaly threshold (running mean + z * std) dashed, and anomalies as
 * red dots whose tooltip is the line.
 */
final class ScoreChart {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 170;
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 14;
    private static final int BOTTOM = 26;

    private ScoreChart() {}

    static void write(
            Path file,
            List<AnomalyRecord> records,
            List<FaultReport.Outcome> faults,
            AnomalySettings alarm,
            String subtitle)
            throws IOException {
        // the z rule's threshold is a score (running mean + z * std) and is drawn; the exceedance rule's is a rate
        double zThreshold = alarm.rule() == AlarmRule.Z_SCORE ? alarm.zThreshold() : Double.NaN;
        Map<String, List<AnomalyRecord>> byKey = new TreeMap<>();
        long tMin = Long.MAX_VALUE;
        long tMax = Long.MIN_VALUE;
        for (AnomalyRecord r : records) {
            if (r.meanSurprisal == null) {
                continue;
            }
            byKey.computeIfAbsent(r.key, k -> new ArrayList<>()).add(r);
            tMin = Math.min(tMin, r.timestamp);
            tMax = Math.max(tMax, r.timestamp);
        }
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Linnet log-anomaly scores</title>\n")
                .append("<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}")
                .append(
                        "h2{font-size:15px;margin:18px 0 4px}p{color:#555;font-size:13px}svg{background:#fafafa;border:1px solid #ddd}")
                .append(
                        ".line{fill:none;stroke:#2b6cb0;stroke-width:1.2}.thr{fill:none;stroke:#c05621;stroke-width:1;stroke-dasharray:4 3}")
                .append(
                        ".dot{fill:#e53e3e}.axis{fill:#666;font-size:11px}.fault{fill:#f6e05e;opacity:.45}</style></head><body>\n")
                .append("<h1>Linnet log-anomaly: mean surprisal per line, per key</h1>\n<p>")
                .append(escape(subtitle))
                .append("</p>\n<p>Blue: mean surprisal of each line (nats/token). ")
                .append(
                        Double.isNaN(zThreshold)
                                ? String.format(
                                        Locale.ROOT,
                                        "Alarm: a line whose key logged one at least as surprising in fewer than 1 of "
                                                + "e^%.1f earlier lines (exceedance). ",
                                        alarm.exceedanceThreshold())
                                : String.format(
                                        Locale.ROOT,
                                        "Dashed: the key's anomaly threshold, running mean + %.1f &times; std. ",
                                        zThreshold))
                .append("Red: lines flagged as anomalies (hover for the line).")
                .append(
                        faults.isEmpty()
                                ? ""
                                : " Yellow: faults injected while the sample was recorded (hover for which).")
                .append("</p>\n");
        if (byKey.isEmpty()) {
            h.append("<p>No scored lines.</p>");
        }
        for (Map.Entry<String, List<AnomalyRecord>> e : byKey.entrySet()) {
            List<FaultReport.Outcome> own = new ArrayList<>();
            for (FaultReport.Outcome o : faults) {
                if (o.fault().key().equals(e.getKey()) && o.lines() > 0) {
                    own.add(o);
                }
            }
            panel(h, e.getKey(), e.getValue(), own, tMin, Math.max(tMax, tMin + 1), zThreshold);
        }
        h.append("</body></html>\n");
        Files.writeString(file, h);
    }

    private static void panel(
            StringBuilder h,
            String key,
            List<AnomalyRecord> rs,
            List<FaultReport.Outcome> faults,
            long tMin,
            long tMax,
            double z) {
        long anomalies = rs.stream().filter(r -> r.anomaly).count();
        double yMin = Double.MAX_VALUE;
        double yMax = -Double.MAX_VALUE;
        for (AnomalyRecord r : rs) {
            yMin = Math.min(yMin, r.meanSurprisal);
            yMax = Math.max(yMax, r.meanSurprisal);
        }
        if (yMax - yMin < 1e-6) {
            yMax = yMin + 1;
        }
        double pad = (yMax - yMin) * 0.08;
        yMin -= pad;
        yMax += pad;
        h.append("<h2>")
                .append(escape(key))
                .append(" &mdash; ")
                .append(rs.size())
                .append(rs.size() == 1 ? " line, " : " lines, ")
                .append(anomalies)
                .append(anomalies == 1 ? " anomaly" : " anomalies")
                .append("</h2>\n")
                .append("<svg width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(HEIGHT)
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\">\n");
        for (FaultReport.Outcome o : faults) {
            double x0 = x(o.firstTimestamp(), tMin, tMax) - 2;
            double x1 = x(o.lastTimestamp(), tMin, tMax) + 2;
            h.append(String.format(
                            Locale.ROOT,
                            "<rect class=\"fault\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>",
                            x0,
                            TOP,
                            x1 - x0,
                            HEIGHT - TOP - BOTTOM))
                    .append(escape(o.fault().description() + " (lines "
                            + o.fault().firstLine() + "-" + o.fault().lastLine() + "): " + o.anomalies() + " of "
                            + o.lines() + " lines flagged"))
                    .append("</title></rect>\n");
        }
        for (int i = 0; i <= 2; i++) {
            double v = yMin + (yMax - yMin) * i / 2;
            h.append(String.format(
                    Locale.ROOT, "<text class=\"axis\" x=\"4\" y=\"%.1f\">%.2f</text>\n", y(v, yMin, yMax) + 4, v));
        }
        h.append(String.format(
                Locale.ROOT,
                "<text class=\"axis\" x=\"%d\" y=\"%d\">%s</text>",
                LEFT,
                HEIGHT - 8,
                Instant.ofEpochMilli(tMin)));
        h.append(String.format(
                Locale.ROOT,
                "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
                WIDTH - RIGHT,
                HEIGHT - 8,
                Instant.ofEpochMilli(tMax)));
        StringBuilder line = new StringBuilder();
        StringBuilder thr = new StringBuilder();
        for (AnomalyRecord r : rs) {
            line.append(String.format(
                    Locale.ROOT, "%.1f,%.1f ", x(r.timestamp, tMin, tMax), y(r.meanSurprisal, yMin, yMax)));
            if (!Double.isNaN(z) && r.historyMean != null && r.historyStd != null && r.zScore != null) {
                double t = Math.min(yMax, r.historyMean + z * r.historyStd);
                thr.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(r.timestamp, tMin, tMax), y(t, yMin, yMax)));
            }
        }
        h.append("<polyline class=\"thr\" points=\"").append(thr).append("\"/>\n");
        h.append("<polyline class=\"line\" points=\"").append(line).append("\"/>\n");
        for (AnomalyRecord r : rs) {
            if (r.anomaly) {
                h.append(String.format(
                                Locale.ROOT,
                                "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>",
                                x(r.timestamp, tMin, tMax),
                                y(r.meanSurprisal, yMin, yMax)))
                        .append(escape(String.format(
                                Locale.ROOT,
                                "z=%.1f exceedance=%.1f mean=%.2f offset %d: %s",
                                r.zScore,
                                r.exceedance,
                                r.meanSurprisal,
                                r.offset,
                                r.line)))
                        .append("</title></circle>\n");
            }
        }
        h.append("</svg>\n");
    }

    private static double x(long t, long tMin, long tMax) {
        return LEFT + (WIDTH - LEFT - RIGHT) * (double) (t - tMin) / (tMax - tMin);
    }

    private static double y(double v, double yMin, double yMax) {
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (v - yMin) / (yMax - yMin));
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return b.toString();
    }
}
