package dev.linnet.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loghub's BGL_2k sample: each line of BGL_2k.log with its alert label (BGL_2k.line_labels.csv) and template
 * id (BGL_2k.log_structured.csv). The first field of a raw line IS the label ("-" or an alert category), so
 * the model never sees it: a line is split into a header (epoch, date, node, time, node again) and a body
 * (type, component, level, message), and only those two are fed.
 */
public final class BglLog {
    /**
     * @param header   the five fields after the label, without a trailing space
     * @param body     " " + the rest (type, component, level, message), as it follows the header
     * @param template the line's EventId from the structured file
     */
    public record Entry(int lineId, String header, String body, boolean alert, String template) {}

    private final List<Entry> entries;

    BglLog(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Reads BGL/BGL_2k.log and its two CSV companions under the loghub folder. */
    public static BglLog load(Path loghub) throws IOException {
        Path dir = loghub.resolve("BGL");
        Path log = dir.resolve("BGL_2k.log");
        if (!Files.isRegularFile(log))
            throw new IOException("BGL log not found: " + log + " (is --loghub the loghub folder?)");
        List<String> raw = new ArrayList<>();
        for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            String s = l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
            if (!s.isEmpty()) raw.add(s);
        }
        CsvTable labels = CsvTable.read(dir.resolve("BGL_2k.line_labels.csv"));
        CsvTable structured = CsvTable.read(dir.resolve("BGL_2k.log_structured.csv"));
        return parse(raw, labels, structured);
    }

    static BglLog parse(List<String> raw, CsvTable labels, CsvTable structured) {
        if (labels.size() != raw.size() || structured.size() != raw.size()) {
            throw new IllegalArgumentException("BGL files disagree: " + raw.size() + " log lines, " + labels.size()
                    + " label rows, " + structured.size() + " structured rows");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String line = raw.get(i);
            int cut = line.indexOf(' ');
            int headerEnd = cut;
            for (int f = 0; f < 5 && headerEnd >= 0; f++) headerEnd = line.indexOf(' ', headerEnd + 1);
            if (cut <= 0 || headerEnd < 0) {
                throw new IllegalArgumentException(
                        "BGL line " + (i + 1) + " has fewer than 7 space-separated fields: " + line);
            }
            String tag = line.substring(0, cut);
            int lineId = Integer.parseInt(labels.get(i, "LineId").trim());
            int structuredId = Integer.parseInt(structured.get(i, "LineId").trim());
            if (lineId != i + 1 || structuredId != i + 1) {
                throw new IllegalArgumentException("BGL row " + (i + 1) + ": label file says line " + lineId
                        + ", structured file says line " + structuredId);
            }
            boolean alert = labels.get(i, "IsAlert").trim().equals("1");
            if (alert == tag.equals("-")) {
                throw new IllegalArgumentException("BGL line " + (i + 1) + ": label file says alert=" + alert
                        + " but the line's tag is '" + tag + "'");
            }
            entries.add(new Entry(
                    i + 1,
                    line.substring(cut + 1, headerEnd),
                    line.substring(headerEnd),
                    alert,
                    structured.get(i, "EventId").trim()));
        }
        return new BglLog(entries);
    }
}
