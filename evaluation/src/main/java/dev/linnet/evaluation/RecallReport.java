package dev.linnet.evaluation;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The recall results as text tables (Markdown) and as a self-contained SVG: greedy accuracy against distance
 * above and, below, what the request id's binding adds to the name's log-likelihood (graded, so it still shows
 * a memory too weak to win the argmax; paired, as both questions ask for the same name, once with its own request
 * id and once with another seen in the stream), each with its standard error.
 */
public final class RecallReport {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private RecallReport() {}

    public static String table(List<RecallCurve> curves) {
        StringBuilder sb = new StringBuilder();
        TreeSet<Integer> distances = distances(curves);
        sb.append(
                "Per model and distance D: greedy accuracy (the whole user name right) +- its standard error; the wrong-key\n");
        sb.append(
                "control's greedy rate of writing that same name when asked with another request id seen in the stream (with its\n");
        sb.append(
                "own name) +- SE; the binding gain +- SE, in nats: the mean over trials of ln P(name | its own id) - ln P(name |\n");
        sb.append(
                "the wrong id) (0: the id adds nothing, the name is merely copied). Standard errors: sqrt(p(1-p)/n) for a rate,\n");
        sb.append("sample deviation / sqrt(n) for the gain.\n\n");
        sb.append("| D (tokens) |");
        for (RecallCurve c : curves) {
            sb.append(' ').append(c.model()).append(": accuracy | wrong id | binding gain |");
        }
        sb.append('\n').append("|---:|");
        for (int i = 0; i < curves.size(); i++) sb.append("---:|---:|---:|");
        sb.append('\n');
        for (int d : distances) {
            sb.append(String.format(Locale.ROOT, "| %d |", d));
            for (RecallCurve c : curves) {
                RecallCurve.Point p = find(c, d);
                if (p == null) {
                    sb.append(" - | - | - |");
                } else {
                    sb.append(String.format(
                            Locale.ROOT,
                            " %.3f +- %.3f | %.3f +- %.3f | %+.2f +- %.2f |",
                            p.fact().accuracy(),
                            p.fact().accuracyStandardError(),
                            p.wrongKey().accuracy(),
                            p.wrongKey().accuracyStandardError(),
                            p.binding().mean(),
                            p.binding().standardError()));
                }
            }
            sb.append('\n');
        }
        sb.append('\n');
        sb.append(
                "| model | window | D | trials | greedy accuracy | SE | 95% interval | token accuracy | mean P(name) | mean ln P(name) "
                        + "| ln P, id unseen, name seen | ln P, id and name unseen | accuracy, id and name unseen | gain over unseen id | gain over prior "
                        + "| ln P, wrong id | accuracy, wrong id | SE | binding gain | SE |\n");
        sb.append(
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RecallCurve c : curves) {
            for (RecallCurve.Point p : c.points()) {
                RecallCurve.Stats f = p.fact();
                RecallCurve.Stats w = p.wrongKey();
                double[] ci = f.accuracyInterval();
                sb.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %d | %d | %.3f | %.3f | %.2f-%.2f | %.3f | %.2e | %.2f | %.2f | %.2f | %.3f | %+.2f | %+.2f "
                                + "| %.2f | %.3f | %.3f | %+.2f | %.2f |%n",
                        c.model(),
                        c.window() > 0 ? String.valueOf(c.window()) : "none",
                        p.distance(),
                        f.trials(),
                        f.accuracy(),
                        f.accuracyStandardError(),
                        ci[0],
                        ci[1],
                        f.tokenAccuracy(),
                        f.probability(),
                        f.logProbability(),
                        p.familiarValue().logProbability(),
                        p.unseen().logProbability(),
                        p.unseen().accuracy(),
                        p.gainOverFamiliarValue(),
                        p.gainOverPrior(),
                        w.logProbability(),
                        w.accuracy(),
                        w.accuracyStandardError(),
                        p.binding().mean(),
                        p.binding().standardError()));
            }
        }
        return sb.toString();
    }

    private static TreeSet<Integer> distances(List<RecallCurve> curves) {
        TreeSet<Integer> distances = new TreeSet<>();
        for (RecallCurve c : curves) for (RecallCurve.Point p : c.points()) distances.add(p.distance());
        return distances;
    }

    private static RecallCurve.Point find(RecallCurve c, int d) {
        for (RecallCurve.Point p : c.points()) if (p.distance() == d) return p;
        return null;
    }

    /**
     * Three panels over log2 distance, dotted lines at the models' windows: accuracy (thick: greedy, the whole name,
     * with +-1 standard error bars; dash-dot: greedy writing the same name after the wrong request id; thin: answer
     * tokens; dashed: greedy for an id and name never seen); the gain over that prior, which shows whether the name
     * is remembered at all; the binding gain (own id against the wrong id, +-1 standard error), which shows whether
     * it is remembered as its request id's.
     */
    public static String svg(List<RecallCurve> curves, String title) {
        TreeSet<Integer> distances = distances(curves);
        if (distances.isEmpty()) throw new IllegalArgumentException("nothing to plot");
        int width = 760, left = 64, right = 200, top = 40, panel = 200, gap = 56, bottom = 46;
        int height = top + 3 * panel + 2 * gap + bottom;
        Axis x = new Axis(
                log2(distances.first()),
                Math.max(log2(distances.last()), log2(distances.first()) + 1),
                left,
                width - right);
        double[] prior = range(curves, RecallCurve.Point::gainOverPrior);
        double[] binding = range(curves, RecallCurve.Point::bindingGain);

        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                width,
                height,
                width,
                height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                left,
                escape(title)));
        Axis accY = new Axis(1, 0, top, top + panel);
        Axis priorY = new Axis(prior[1], prior[0], top + panel + gap, top + 2 * panel + gap);
        Axis bindY = new Axis(binding[1], binding[0], top + 2 * (panel + gap), top + 3 * panel + 2 * gap);
        frame(s, x, accY, distances, 0, 1, "%.1f", "accuracy");
        frame(s, x, priorY, distances, prior[0], prior[1], "%+.0f", "gain over prior (nats)");
        frame(s, x, bindY, distances, binding[0], binding[1], "%+.1f", "binding gain (nats)");
        for (Axis y : new Axis[] {priorY, bindY}) {
            if (y.hi < 0 && y.lo > 0) {
                s.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>%n",
                        x.from,
                        y.at(0),
                        x.to,
                        y.at(0)));
            }
        }
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">distance D between the fact and the question (tokens, log scale)</text>%n",
                (x.from + x.to) / 2,
                height - 10));
        for (int m = 0; m < curves.size(); m++) {
            RecallCurve c = curves.get(m);
            String colour = COLOURS[m % COLOURS.length];
            if (c.window() > 0 && log2(c.window()) >= x.lo && log2(c.window()) <= x.hi) {
                for (Axis y : new Axis[] {accY, priorY, bindY}) {
                    s.append(String.format(
                            Locale.ROOT,
                            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"2,3\"/>%n",
                            x.at(log2(c.window())),
                            y.from,
                            x.at(log2(c.window())),
                            y.to,
                            colour));
                }
            }
            series(s, c, x, accY, p -> p.fact().accuracy(), colour, "stroke-width=\"2.5\"", true);
            errorBars(s, c, x, accY, p -> p.fact().accuracy(), p -> p.fact().accuracyStandardError(), colour);
            series(
                    s,
                    c,
                    x,
                    accY,
                    p -> p.wrongKey().accuracy(),
                    colour,
                    "stroke-width=\"1.5\" stroke-dasharray=\"8,3,2,3\"",
                    false);
            series(s, c, x, accY, p -> p.fact().tokenAccuracy(), colour, "stroke-width=\"1\"", false);
            series(
                    s,
                    c,
                    x,
                    accY,
                    p -> p.unseen().accuracy(),
                    colour,
                    "stroke-width=\"1\" stroke-dasharray=\"6,4\" opacity=\"0.7\"",
                    false);
            series(s, c, x, priorY, RecallCurve.Point::gainOverPrior, colour, "stroke-width=\"2\"", true);
            series(s, c, x, bindY, RecallCurve.Point::bindingGain, colour, "stroke-width=\"2\"", true);
            errorBars(
                    s,
                    c,
                    x,
                    bindY,
                    RecallCurve.Point::bindingGain,
                    p -> p.binding().standardError(),
                    colour);
            int ly = top + 10 + m * 34;
            double lx = x.to + 14;
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    lx,
                    ly,
                    lx + 22,
                    ly,
                    colour));
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\">%s</text>%n",
                    lx + 28,
                    ly + 4,
                    escape(abbreviate(c.model(), 24))));
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#555\">%s</text>%n",
                    lx + 28,
                    ly + 17,
                    c.window() > 0 ? "softmax window " + c.window() + " (dotted)" : "no softmax layer"));
        }
        int ly = top + 10 + curves.size() * 34;
        double lx = x.to + 14;
        String[][] key = {
            {"stroke-width=\"2.5\"", "greedy (whole name)"},
            {"stroke-width=\"1.5\" stroke-dasharray=\"8,3,2,3\"", "same name, wrong id"},
            {"stroke-width=\"1\"", "answer tokens"},
            {"stroke-dasharray=\"6,4\"", "greedy, id and name"}
        };
        for (String[] k : key) {
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\" %s/>%n",
                    lx,
                    ly,
                    lx + 22,
                    ly,
                    k[0]));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", lx + 28, ly + 4, k[1]));
            ly += 18;
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">never seen (chance)</text>%n", lx + 28, ly));
        s.append("</svg>\n");
        return s.toString();
    }

    /** The rounded [low, high] of one measure over all curves, always including 0 and at least 1 wide. */
    private static double[] range(List<RecallCurve> curves, ToDoubleFunction<RecallCurve.Point> value) {
        double lo = 0, hi = 0;
        for (RecallCurve c : curves) {
            for (RecallCurve.Point p : c.points()) {
                double v = value.applyAsDouble(p);
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        double span = Math.max(1, hi - lo);
        lo = Math.floor(lo - 0.05 * span);
        hi = Math.ceil(hi + 0.05 * span);
        if (hi - lo > 5) hi = lo + 5 * Math.ceil((hi - lo) / 5); // whole-number ticks (the frame draws six)
        return new double[] {lo, hi};
    }

    /** A linear map from data values [lo, hi] to pixels [from, to]. */
    private record Axis(double lo, double hi, double from, double to) {
        double at(double v) {
            return from + (v - lo) / (hi - lo) * (to - from);
        }
    }

    private static void frame(
            StringBuilder s,
            Axis x,
            Axis y,
            TreeSet<Integer> distances,
            double lo,
            double hi,
            String format,
            String label) {
        for (int i = 0; i <= 5; i++) {
            double v = lo + (hi - lo) * i / 5;
            if (Math.abs(v) < 1e-9 * (hi - lo)) v = 0; // no "-0" label from rounding
            double yy = y.at(v);
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    x.from,
                    yy,
                    x.to,
                    yy));
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    x.from - 6,
                    yy + 4,
                    v == 0 ? "0" : String.format(Locale.ROOT, format, v)));
        }
        double bottom = Math.max(y.from, y.to), topY = Math.min(y.from, y.to);
        for (int d : distances) {
            double xx = x.at(log2(d));
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
                    xx,
                    topY,
                    xx,
                    bottom));
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
                    xx,
                    bottom + 16,
                    shortNumber(d)));
        }
        s.append(String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#333\"/>%n",
                x.from,
                topY,
                x.to - x.from,
                bottom - topY));
        double mid = (topY + bottom) / 2;
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">%s</text>%n",
                mid,
                mid,
                label));
    }

    private static void series(
            StringBuilder s,
            RecallCurve c,
            Axis x,
            Axis y,
            ToDoubleFunction<RecallCurve.Point> value,
            String colour,
            String style,
            boolean markers) {
        StringBuilder pts = new StringBuilder();
        for (RecallCurve.Point p : c.points()) {
            double v = value.applyAsDouble(p);
            if (!Double.isFinite(v)) continue;
            double xx = x.at(log2(p.distance())), yy = y.at(v);
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", xx, yy));
            if (markers)
                s.append(String.format(
                        Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", xx, yy, colour));
        }
        if (pts.length() > 0) {
            s.append(String.format(
                    Locale.ROOT,
                    "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" %s/>%n",
                    pts.toString().trim(),
                    colour,
                    style));
        }
    }

    /** Vertical bars of +-1 standard error around each finite point. */
    private static void errorBars(
            StringBuilder s,
            RecallCurve c,
            Axis x,
            Axis y,
            ToDoubleFunction<RecallCurve.Point> value,
            ToDoubleFunction<RecallCurve.Point> error,
            String colour) {
        double lo = Math.min(y.lo, y.hi), hi = Math.max(y.lo, y.hi);
        for (RecallCurve.Point p : c.points()) {
            double v = value.applyAsDouble(p), e = error.applyAsDouble(p);
            if (!Double.isFinite(v) || !Double.isFinite(e) || e <= 0) continue;
            double xx = x.at(log2(p.distance()));
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>%n",
                    xx,
                    y.at(Math.max(lo, v - e)),
                    xx,
                    y.at(Math.min(hi, v + e)),
                    colour));
        }
    }

    /** A rough text chart for places where no picture shows (one row a distance, one bar a model). */
    public static String textChart(List<RecallCurve> curves) {
        StringBuilder sb = new StringBuilder();
        int width = 40;
        for (RecallCurve c : curves) {
            sb.append(c.model())
                    .append(c.window() > 0 ? " (window " + c.window() + ")" : " (no softmax layer)")
                    .append(
                            ": greedy accuracy +- SE, the same name after the wrong id, gain over prior, binding gain +- SE\n");
            for (RecallCurve.Point p : c.points()) {
                int n = (int) Math.round(Math.max(0, Math.min(1, p.fact().accuracy())) * width);
                sb.append(String.format(
                        Locale.ROOT,
                        "  %6s |%s%s| %.2f +- %.2f  wrong id %.2f  %+6.2f  %+.2f +- %.2f nats%n",
                        shortNumber(p.distance()),
                        "#".repeat(n),
                        " ".repeat(width - n),
                        p.fact().accuracy(),
                        p.fact().accuracyStandardError(),
                        p.wrongKey().accuracy(),
                        p.gainOverPrior(),
                        p.bindingGain(),
                        p.binding().standardError()));
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
