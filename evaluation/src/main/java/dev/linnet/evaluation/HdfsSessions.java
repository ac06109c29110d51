package dev.linnet.evaluation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loghub's hdfs100k_sessions: one row per HDFS block with its label (0/1), its split (train/test) and its
 * events as template ids (T1..T19), plus the templates' text. The sessions hold no raw lines, so the model
 * reads each event as its template text, placeholders ("<*>") included: the same text for every block,
 * so nothing but the order and kind of events can tell sessions apart.
 */
public final class HdfsSessions {
    public record Session(String blockId, boolean anomaly, boolean train, List<String> events) {}

    private final List<Session> sessions;
    private final Map<String, String> templates;

    HdfsSessions(List<Session> sessions, Map<String, String> templates) {
        this.sessions = List.copyOf(sessions);
        this.templates = Map.copyOf(templates);
        for (Session s : sessions) {
            for (String e : s.events()) {
                if (!templates.containsKey(e))
                    throw new IllegalArgumentException(
                            "block " + s.blockId() + " has event " + e + " that no template defines");
            }
        }
    }

    /** Every session in file order. */
    public List<Session> sessions() {
        return sessions;
    }

    /** The template text of an event id. */
    public String template(String eventId) {
        String t = templates.get(eventId);
        if (t == null) throw new IllegalArgumentException("unknown HDFS template id " + eventId);
        return t;
    }

    public static HdfsSessions load(Path loghub) throws IOException {
        Path dir = loghub.resolve("hdfs100k_sessions");
        return parse(CsvTable.read(dir.resolve("sessions.csv")), CsvTable.read(dir.resolve("templates.csv")));
    }

    static HdfsSessions parse(CsvTable sessionsCsv, CsvTable templatesCsv) {
        Map<String, String> templates = new HashMap<>();
        for (int r = 0; r < templatesCsv.size(); r++) {
            templates.put(templatesCsv.get(r, "TemplateId").trim(), templatesCsv.get(r, "Template"));
        }
        List<Session> sessions = new ArrayList<>();
        for (int r = 0; r < sessionsCsv.size(); r++) {
            String block = sessionsCsv.get(r, "BlockId").trim();
            String label = sessionsCsv.get(r, "Label").trim();
            String split = sessionsCsv.get(r, "Split").trim();
            if (!label.equals("0") && !label.equals("1"))
                throw new IllegalArgumentException("block " + block + ": label '" + label + "' is not 0 or 1");
            if (!split.equals("train") && !split.equals("test"))
                throw new IllegalArgumentException("block " + block + ": split '" + split + "' is not train or test");
            String seq = sessionsCsv.get(r, "EventSequence").trim();
            List<String> events = seq.isEmpty() ? List.of() : Arrays.asList(seq.split("\\s+"));
            sessions.add(new Session(block, label.equals("1"), split.equals("train"), List.copyOf(events)));
        }
        return new HdfsSessions(sessions, templates);
    }
}
