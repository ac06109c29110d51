package dev.linnet.engine.eval;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** The recall results as text tables (Markdown) and as a self-contained SVG plot of accuracy against distance. */
public final class RecallReport {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private RecallReport() {}

    /** Greedy accuracy by distance, one column a model, then every figure a row. */
    public static String table(List<RecallCurve> curves) {
        StringBuilder sb = new StringBuilder();
        TreeSet<Integer> distances = new TreeSet<>();
        for (RecallCurve c : curves) for (RecallCurve.Point p : c.points()) distances.add(p.distance());
        sb.append("| D (tokens) |");
        for (RecallCurve c : curves) sb.append(' ').append(c.model()).append(" |");
        sb.append('\n').append("|---:|");
        for (int i = 0; i < curves.size(); i++) sb.append("---:|");
        sb.append('\n');
        for (int d : distances) {
            sb.append(String.format(Locale.ROOT, "| %d |", d));
            for (RecallCurve c : curves) {
                RecallCurve.Point p = find(c, d);
                sb.append(p == null ? " - |" : String.format(Locale.ROOT, " %.3f |", p.accuracy()));
            }
            sb.append('\n');
        }
        sb.append('\n');
        sb.append("| model | window | D | trials | greedy accuracy | 95% interval | mean P(value) | token accuracy | chance accuracy | chance P(value) |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RecallCurve c : curves) {
            for (RecallCurve.Point p : c.points()) {
                double[] ci = p.accuracyInterval();
                sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.3f | %.2f-%.2f | %.3f | %.3f | %.3f | %.4f |%n",
                        c.model(), c.window() > 0 ? String.valueOf(c.window()) : "none", p.distance(), p.trials(), p.accuracy(),
                        ci[0], ci[1], p.probability(), p.tokenAccuracy(), p.chanceAccuracy(), p.chanceProbability()));
            }
        }
        return sb.toString();
    }

    private static RecallCurve.Point find(RecallCurve c, int d) {
        for (RecallCurve.Point p : c.points()) if (p.distance() == d) return p;
        return null;
    }

    /** Accuracy against log2 distance: solid lines for the models, dashed for their chance controls, dotted windows. */
    public static String svg(List<RecallCurve> curves, String title) {
        int width = 720, height = 420, left = 60, right = 190, top = 40, bottom = 50;
        int plotW = width - left - right, plotH = height - top - bottom;
        TreeSet<Integer> distances = new TreeSet<>();
        for (RecallCurve c : curves) for (RecallCurve.Point p : c.points()) distances.add(p.distance());
        if (distances.isEmpty()) throw new IllegalArgumentException("nothing to plot");
        double lo = log2(distances.first()), hi = log2(distances.last());
        if (hi - lo < 1) hi = lo + 1;
        final double xlo = lo, xhi = hi;
        java.util.function.DoubleUnaryOperator x = d -> left + (log2(d) - xlo) / (xhi - xlo) * plotW;
        java.util.function.DoubleUnaryOperator y = a -> top + (1 - a) * plotH;

        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                width, height, width, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", left, escape(title)));
        for (int i = 0; i <= 5; i++) {
            double a = i / 5.0;
            double yy = y.applyAsDouble(a);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", left, yy, left + plotW, yy));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>%n", left - 6, yy + 4, a));
        }
        for (int d : distances) {
            double xx = x.applyAsDouble(d);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", xx, top, xx, top + plotH));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", xx, top + plotH + 16, shortNumber(d)));
        }
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n", left, top, plotW, plotH));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">distance D between the fact and the question (tokens, log scale)</text>%n",
                left + plotW / 2, height - 12));
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">greedy recall accuracy</text>%n",
                top + plotH / 2, top + plotH / 2));
        for (int m = 0; m < curves.size(); m++) {
            RecallCurve c = curves.get(m);
            String colour = COLOURS[m % COLOURS.length];
            if (c.window() > 0 && c.window() >= distances.first() && c.window() <= distances.last()) {
                double xx = x.applyAsDouble(c.window());
                s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-dasharray=\"2,3\"/>%n",
                        xx, top, xx, top + plotH, colour));
            }
            StringBuilder line = new StringBuilder();
            StringBuilder chance = new StringBuilder();
            for (RecallCurve.Point p : c.points()) {
                double xx = x.applyAsDouble(p.distance());
                line.append(String.format(Locale.ROOT, "%.1f,%.1f ", xx, y.applyAsDouble(p.accuracy())));
                if (!Double.isNaN(p.chanceAccuracy())) chance.append(String.format(Locale.ROOT, "%.1f,%.1f ", xx, y.applyAsDouble(p.chanceAccuracy())));
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", xx, y.applyAsDouble(p.accuracy()), colour));
            }
            s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", line.toString().trim(), colour));
            if (chance.length() > 0) {
                s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1\" stroke-dasharray=\"6,4\" opacity=\"0.7\"/>%n",
                        chance.toString().trim(), colour));
            }
            int ly = top + 10 + m * 34;
            int lx = left + plotW + 14;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n", lx, ly, lx + 22, ly, colour));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", lx + 28, ly + 4, escape(abbreviate(c.model(), 22))));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#555\">%s</text>%n", lx + 28, ly + 17,
                    c.window() > 0 ? "window " + c.window() + " (dotted)" : "no softmax window"));
        }
        int ly = top + 10 + curves.size() * 34;
        int lx = left + plotW + 14;
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\" stroke-dasharray=\"6,4\"/>%n", lx, ly, lx + 22, ly));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">chance (unseen id)</text>%n", lx + 28, ly + 4));
        s.append("</svg>\n");
        return s.toString();
    }

    /** A rough text chart for places where no picture shows (one row a distance, one bar a model). */
    public static String textChart(List<RecallCurve> curves) {
        StringBuilder sb = new StringBuilder();
        int width = 40;
        for (RecallCurve c : curves) {
            sb.append(c.model()).append(c.window() > 0 ? " (window " + c.window() + ")" : " (no softmax window)").append('\n');
            for (RecallCurve.Point p : c.points()) {
                int n = (int) Math.round(p.accuracy() * width);
                sb.append(String.format(Locale.ROOT, "  %6s |%s%s| %.2f%n", shortNumber(p.distance()), "#".repeat(n), " ".repeat(width - n), p.accuracy()));
            }
        }
        return sb.toString();
    }

    static String shortNumber(int d) {
        if (d >= 1024 && d % 1024 == 0) return (d / 1024) + "K";
        return String.valueOf(d);
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    private static String abbreviate(String s, int n) {
        return s.length() <= n ? s : "..." + s.substring(s.length() - n + 3);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
