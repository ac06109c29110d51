package dev.linnet.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * Which items (BGL lines or HDFS sessions, by index in file order) warm the model, which choose the
 * threshold, and which are the test.
 *
 * @param warm       read before anything is scored; only items labelled normal
 * @param validation scored; their labels choose the threshold (and nothing else)
 * @param test       scored; the reported figures
 */
public record AnomalySplit(List<Integer> warm, List<Integer> validation, List<Integer> test) {

    public AnomalySplit {
        warm = List.copyOf(warm);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
    }

    /**
     * BGL in time order: the first warmShare of the lines is the warm part (its alert lines left out), the
     * lines up to validationEnd (a share of all lines) are validation, the rest is the test.
     */
    public static AnomalySplit bgl(BglLog log, double warmShare, double validationEnd) {
        if (!(warmShare > 0 && warmShare < validationEnd && validationEnd < 1)) {
            throw new IllegalArgumentException(
                    "need 0 < warm share < validation end < 1, got " + warmShare + " and " + validationEnd);
        }
        int n = log.entries().size();
        int w = (int) Math.round(n * warmShare);
        int v = (int) Math.round(n * validationEnd);
        List<Integer> warm = new ArrayList<>(), val = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i < w) {
                if (!log.entries().get(i).alert()) warm.add(i);
            } else if (i < v) {
                val.add(i);
            } else {
                test.add(i);
            }
        }
        return new AnomalySplit(warm, val, test);
    }

    /**
     * HDFS sessions: the dataset's train rows in file order, the first (1 - validationShare) of them the
     * warm part (normal sessions only), the rest validation; the dataset's test rows are the test.
     */
    public static AnomalySplit hdfs(HdfsSessions data, double validationShare) {
        if (!(validationShare > 0 && validationShare < 1))
            throw new IllegalArgumentException("validation share must be in (0, 1), got " + validationShare);
        List<Integer> train = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < data.sessions().size(); i++) (data.sessions().get(i).train() ? train : test).add(i);
        int cut = (int) Math.round(train.size() * (1 - validationShare));
        List<Integer> warm = new ArrayList<>();
        for (int k = 0; k < cut; k++) if (!data.sessions().get(train.get(k)).anomaly()) warm.add(train.get(k));
        return new AnomalySplit(warm, train.subList(cut, train.size()), test);
    }
}
