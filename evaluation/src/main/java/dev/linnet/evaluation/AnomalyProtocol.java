package dev.linnet.evaluation;

import java.util.Locale;

/**
 * The streaming protocol's parameters, and its statement in words (printed above every table).
 *
 * @param bglWarmShare          BGL: share of lines (from the start) that only warm the stream
 * @param bglValidationEnd      BGL: lines up to this share are validation, the rest the test
 * @param hdfsValidationShare   HDFS: share of the train rows (the last ones) used as validation
 * @param hdfsWarmTokens        HDFS: the shared prior state reads normal warm sessions, in file order, until it has this many tokens
 */
public record AnomalyProtocol(
        double bglWarmShare, double bglValidationEnd, double hdfsValidationShare, int hdfsWarmTokens) {

    public static final AnomalyProtocol DEFAULT = new AnomalyProtocol(0.10, 0.50, 0.20, 8192);

    public AnomalyProtocol {
        if (!(bglWarmShare > 0 && bglWarmShare < bglValidationEnd && bglValidationEnd < 1)) {
            throw new IllegalArgumentException("BGL shares must satisfy 0 < warm < validation end < 1");
        }
        if (!(hdfsValidationShare > 0 && hdfsValidationShare < 1))
            throw new IllegalArgumentException("HDFS validation share must be in (0, 1)");
        if (hdfsWarmTokens < 0) throw new IllegalArgumentException("HDFS warm tokens must be >= 0");
    }

    public String describe(AnomalySplit bgl, BglLog bglLog, AnomalySplit hdfs, HdfsSessions hdfsData) {
        return String.format(
                Locale.ROOT,
                String.join(
                        "\n",
                        "Protocol (labels choose the threshold on validation and nothing else; every figure is on the test part):",
                        "BGL_2k, one stream in time order. Warm: lines 1-%d, alert lines left out (%d lines read, none scored).",
                        "  Validation: lines %d-%d (%d alerts of %d); test: lines %d-%d (%d alerts of %d). Each line is scored before",
                        "  the model reads it, then read whatever its score. The model sees a line without its first field (the label):",
                        "  header (epoch, date, node, time, node) is read but not scored; the score is the mean surprisal (nats/token)",
                        "  of the rest (type, component, level, message). Linnet, exceedance: the same score calibrated on the stream's",
                        "  own history, -ln((earlier lines scoring at least as high + 1) / (earlier lines + 1)), warm lines included.",
                        "hdfs100k_sessions, one stream per block. The dataset's train rows in file order: the first %.0f%% warm, normal",
                        "  sessions only (%d); the last %.0f%% are validation (%d sessions, %d anomalous); test = the dataset's test rows",
                        "  (%d, %d anomalous). Events are read as their template text, one line each. Linnet: every block's stream starts",
                        "  from one prior state that has read the first normal warm sessions up to %d tokens; a session's score is the",
                        "  largest mean surprisal of its lines. Sessions with the same event sequence get the same score, so each",
                        "  distinct sequence is run once (sequences that begin alike share the work of their common beginning).",
                        "  Linnet, session embedding: the model's embedding after a session's last line (the stream embedding the scoring",
                        "  operator and LINNET_EMBED give), scored by 1 - its cosine similarity to the nearest embedding of a normal warm",
                        "  session (every distinct warm sequence read from the same prior); it sees what the session leads the model to",
                        "  expect next, so a session cut short ends where no complete one does.",
                        "Threshold: the validation score that maximises F1 there (flag when score >= it), applied unchanged to the test.",
                        "Linnet, job's rule (BGL): the log-anomaly job's alarm over the same line scores: the z-score of a line's score",
                        "  against the stream's running mean and deviation of the lines before it (warm lines included; plain for the",
                        "  first 1000 lines, exponentially weighted after; none before 20 lines), flagged at the job's default z >= 3,",
                        "  and once more with the z threshold chosen on validation.",
                        "Baselines use the same parts: first-seen template, streaming (templates of the warm part known; each scored",
                        "  item learned after it is decided, so a template alarms once); template unseen in the normal warm part (a",
                        "  fixed set: every item with a template outside it alarms); template rarity (BGL lines: -ln of the template's",
                        "  share so far, threshold on validation); count-vector distance (HDFS: L1 distance of a session's template",
                        "  counts to the nearest normal warm session, threshold on validation)."),
                bgl.validation().get(0),
                bgl.warm().size(),
                bgl.validation().get(0) + 1,
                bgl.validation().get(bgl.validation().size() - 1) + 1,
                alerts(bglLog, bgl.validation()),
                bgl.validation().size(),
                bgl.test().get(0) + 1,
                bgl.test().get(bgl.test().size() - 1) + 1,
                alerts(bglLog, bgl.test()),
                bgl.test().size(),
                100 * (1 - hdfsValidationShare),
                hdfs.warm().size(),
                100 * hdfsValidationShare,
                hdfs.validation().size(),
                anomalies(hdfsData, hdfs.validation()),
                hdfs.test().size(),
                anomalies(hdfsData, hdfs.test()),
                hdfsWarmTokens);
    }

    private static int alerts(BglLog log, java.util.List<Integer> idx) {
        int n = 0;
        for (int i : idx) if (log.entries().get(i).alert()) n++;
        return n;
    }

    private static int anomalies(HdfsSessions d, java.util.List<Integer> idx) {
        int n = 0;
        for (int i : idx) if (d.sessions().get(i).anomaly()) n++;
        return n;
    }
}
