package dev.linnet.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows of {@code eval stream}: per model and file, the model's bits per byte (whole file and quarters)
 * beside gzip, zstd and xz on the same bytes; per model on a long renewed stream, its tenths. As Markdown
 * tables for people and CSV for scripts.
 */
public final class StreamReport {
    private StreamReport() {}

    /**
     * One file under one model.
     *
     * @param bits        the model's bits over the file and its quarters
     * @param gzip        gzip -9 bits per byte (NaN when unavailable), likewise zstd -19 and xz -9e
     * @param xzQuarters  what xz -9e spends on each quarter given the ones before it (bits per byte of the
     *                    quarter: xz of the prefix through it minus xz of the prefix before it), or null
     */
    public record Row(
            String model,
            String system,
            int tokens,
            SegmentBits bits,
            double gzip,
            double zstd,
            double xz,
            double[] xzQuarters) {
        public Row(String model, String system, int tokens, SegmentBits bits, double gzip, double zstd, double xz) {
            this(model, system, tokens, bits, gzip, zstd, xz, null);
        }

        /** xz's last quarter over its first (NaN when not measured). */
        public double xzLastOverFirst() {
            return xzQuarters == null ? Double.NaN : xzQuarters[xzQuarters.length - 1] / xzQuarters[0];
        }

        public long bytes() {
            return bits.bytes();
        }

        public double modelBitsPerByte() {
            return bits.bitsPerByte();
        }

        /** Model over xz -9e: below 1 when the model compresses the file better. */
        public double overXz() {
            return modelBitsPerByte() / xz;
        }

        /** Whether the model's whole-file figure is at or below xz -9e's (false when either is NaN). */
        public boolean atOrBelowXz() {
            return modelBitsPerByte() <= xz;
        }
    }

    /**
     * One long stream under one model.
     *
     * @param copies how many renewed copies of the source the stream holds
     * @param bits   the model's bits over the stream and its tenths
     */
    public record LongRow(String model, String source, int copies, int tokens, SegmentBits bits) {
        /** The largest part's bits per byte over the first's: at most about 1 when the model stays flat. */
        public double maxOverFirst() {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < bits.parts(); k++) max = Math.max(max, bits.bitsPerByte(k));
            return max / bits.bitsPerByte(0);
        }
    }

    /** One model's rows as a table, then its summary line. */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "| system | bytes | tokens | model | Q1 | Q2 | Q3 | Q4 | Q4/Q1 | gzip -9 | zstd -19 | xz -9e | xz Q4/Q1"
                        + " | model/xz | <= xz |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n");
        for (Row r : rows) {
            sb.append("| ")
                    .append(r.system())
                    .append(" | ")
                    .append(r.bytes())
                    .append(" | ")
                    .append(r.tokens())
                    .append(" | ")
                    .append(bpb(r.modelBitsPerByte()))
                    .append(" |");
            for (int q = 0; q < 4; q++)
                sb.append(' ').append(bpb(r.bits().bitsPerByte(q))).append(" |");
            sb.append(' ')
                    .append(ratio(r.bits().lastOverFirst()))
                    .append(" | ")
                    .append(bpb(r.gzip()))
                    .append(" | ")
                    .append(bpb(r.zstd()))
                    .append(" | ")
                    .append(bpb(r.xz()))
                    .append(" | ")
                    .append(ratio(r.xzLastOverFirst()))
                    .append(" | ")
                    .append(ratio(r.overXz()))
                    .append(" | ")
                    .append(Double.isNaN(r.xz()) ? "n/a" : r.atOrBelowXz() ? "yes" : "no")
                    .append(" |\n");
        }
        return sb.toString();
    }

    /**
     * How many files the model compresses at or below xz -9e, the geometric mean of model/xz over the files
     * (the mean of log ratios: a file twice as good and one twice as bad cancel out), how many files'
     * last quarter costs at most half the first's, and how many of those where xz's own last quarter does.
     */
    public static String summary(String model, List<Row> rows) {
        int withXz = 0, atOrBelow = 0, halved = 0, xzHalved = 0, bothHalved = 0;
        double logSum = 0;
        for (Row r : rows) {
            if (r.bits().lastOverFirst() <= 0.5) halved++;
            if (r.xzLastOverFirst() <= 0.5) {
                xzHalved++;
                if (r.bits().lastOverFirst() <= 0.5) bothHalved++;
            }
            if (Double.isNaN(r.xz()) || Double.isNaN(r.modelBitsPerByte())) continue;
            withXz++;
            if (r.atOrBelowXz()) atOrBelow++;
            logSum += Math.log(r.overXz());
        }
        String xzPart = withXz == 0
                ? "xz -9e n/a"
                : String.format(
                        Locale.ROOT,
                        "at or below xz -9e on %d of %d systems; geometric mean of model/xz %.2f",
                        atOrBelow,
                        withXz,
                        Math.exp(logSum / withXz));
        return String.format(
                Locale.ROOT,
                "%s: %s; last quarter at most half the first on %d of %d, and on %d of the %d where xz's is%n",
                model,
                xzPart,
                halved,
                rows.size(),
                bothHalved,
                xzHalved);
    }

    /** The long-stream rows: bits per byte of each tenth, the whole, and whether any surprisal was not finite. */
    public static String longTable(List<LongRow> rows) {
        int parts = rows.isEmpty() ? 10 : rows.get(0).bits().parts();
        StringBuilder sb = new StringBuilder("| model | source | copies | tokens | bytes |");
        for (int k = 1; k <= parts; k++) sb.append(" T").append(k).append(" |");
        sb.append(" whole | last/first | max/first | NaN or inf |\n|---|---|---:|---:|---:|");
        for (int k = 0; k < parts + 3; k++) sb.append("---:|");
        sb.append("---:|\n");
        for (LongRow r : rows) {
            SegmentBits b = r.bits();
            sb.append("| ")
                    .append(r.model())
                    .append(" | ")
                    .append(r.source())
                    .append(" | ")
                    .append(r.copies())
                    .append(" | ")
                    .append(r.tokens())
                    .append(" | ")
                    .append(b.bytes())
                    .append(" |");
            for (int k = 0; k < b.parts(); k++)
                sb.append(' ').append(bpb(b.bitsPerByte(k))).append(" |");
            sb.append(' ')
                    .append(bpb(b.bitsPerByte()))
                    .append(" | ")
                    .append(ratio(b.lastOverFirst()))
                    .append(" | ")
                    .append(ratio(r.maxOverFirst()))
                    .append(" | ")
                    .append(b.nonFinite())
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** The file rows as CSV (bits per byte with 6 decimals; empty where a figure is n/a). */
    public static String csv(List<Row> rows) {
        StringBuilder sb =
                new StringBuilder("model,system,bytes,tokens,model_bpb,q1_bpb,q2_bpb,q3_bpb,q4_bpb,q4_over_q1,"
                        + "gzip9_bpb,zstd19_bpb,xz9e_bpb,xz9e_q4_over_q1,model_over_xz,at_or_below_xz\n");
        for (Row r : rows) {
            List<String> f = new ArrayList<>(List.of(
                    field(r.model()),
                    field(r.system()),
                    Long.toString(r.bytes()),
                    Integer.toString(r.tokens()),
                    num(r.modelBitsPerByte())));
            for (int q = 0; q < 4; q++) f.add(num(r.bits().bitsPerByte(q)));
            f.addAll(List.of(
                    num(r.bits().lastOverFirst()),
                    num(r.gzip()),
                    num(r.zstd()),
                    num(r.xz()),
                    num(r.xzLastOverFirst()),
                    num(r.overXz()),
                    Double.isNaN(r.xz()) ? "" : Boolean.toString(r.atOrBelowXz())));
            sb.append(String.join(",", f)).append('\n');
        }
        return sb.toString();
    }

    /** The long-stream rows as CSV. */
    public static String longCsv(List<LongRow> rows) {
        int parts = rows.isEmpty() ? 10 : rows.get(0).bits().parts();
        StringBuilder sb = new StringBuilder("model,source,copies,tokens,bytes");
        for (int k = 1; k <= parts; k++) sb.append(",t").append(k).append("_bpb");
        sb.append(",whole_bpb,last_over_first,max_over_first,non_finite\n");
        for (LongRow r : rows) {
            SegmentBits b = r.bits();
            sb.append(field(r.model()))
                    .append(',')
                    .append(field(r.source()))
                    .append(',')
                    .append(r.copies())
                    .append(',')
                    .append(r.tokens())
                    .append(',')
                    .append(b.bytes());
            for (int k = 0; k < b.parts(); k++) sb.append(',').append(num(b.bitsPerByte(k)));
            sb.append(',')
                    .append(num(b.bitsPerByte()))
                    .append(',')
                    .append(num(b.lastOverFirst()))
                    .append(',')
                    .append(num(r.maxOverFirst()))
                    .append(',')
                    .append(b.nonFinite())
                    .append('\n');
        }
        return sb.toString();
    }

    private static String bpb(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    /** A CSV field, quoted when it holds a comma, a quote or a line break. */
    private static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
