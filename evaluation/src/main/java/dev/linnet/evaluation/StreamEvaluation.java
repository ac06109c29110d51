package dev.linnet.evaluation;

import dev.linnet.engine.model.Model;
import dev.linnet.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * {@code eval stream}: each log file fed to each model as one stream, its bits per byte beside the
 * general-purpose compressors' on the same bytes ({@link #compare}); or one long stream of renewed copies
 * of a log, to see that the model stays flat and finite far beyond its training length ({@link #longStream}).
 */
public final class StreamEvaluation {
    /** Quarters of each file; tenths of the long stream. */
    static final int FILE_PARTS = 4, LONG_PARTS = 10;

    private static final String LOGHUB_SUFFIX = "_2k.log";

    /** A model and the tokenizer that feeds it. */
    public record Subject(String name, Model model, Tokenizer tokenizer) {}

    /** A file to compress, named by its system. */
    public record Source(String system, Path file) {}

    private final int chunk;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param chunk tokens per forward pass (the figures do not depend on it beyond float rounding)
     * @param out   where the tables go
     * @param err   where progress goes
     */
    public StreamEvaluation(int chunk, PrintStream out, PrintStream err) {
        if (chunk <= 0) throw new IllegalArgumentException("chunk must be positive, got " + chunk);
        this.chunk = chunk;
        this.out = out;
        this.err = err;
    }

    /** Every {@code SYSTEM/SYSTEM_2k.log} (any {@code *_2k.log} one folder down), sorted by system name. */
    public static List<Source> loghubFiles(Path loghub) throws IOException {
        if (!Files.isDirectory(loghub)) throw new IOException("loghub folder not found: " + loghub);
        List<Source> found = new ArrayList<>();
        try (DirectoryStream<Path> systems = Files.newDirectoryStream(loghub, Files::isDirectory)) {
            for (Path dir : systems) {
                try (DirectoryStream<Path> logs = Files.newDirectoryStream(dir, "*" + LOGHUB_SUFFIX)) {
                    for (Path log : logs) {
                        if (!Files.isRegularFile(log)) continue;
                        String name = log.getFileName().toString();
                        found.add(new Source(name.substring(0, name.length() - LOGHUB_SUFFIX.length()), log));
                    }
                }
            }
        }
        // by system name, then file name, so that the table's order never depends on the file system
        found.sort(
                Comparator.comparing(Source::system).thenComparing(s -> s.file().toString()));
        if (found.isEmpty()) throw new IOException("no */*" + LOGHUB_SUFFIX + " files under " + loghub);
        return found;
    }

    /** A file given by hand: named by its file name without the extension. */
    public static Source file(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return new Source(dot > 0 ? name.substring(0, dot) : name, file);
    }

    /**
     * One row per model and file, the compressors computed once per file; prints each model's table and
     * summary; returns the rows.
     */
    public List<StreamReport.Row> compare(List<Subject> subjects, List<Source> sources, Compressors compressors)
            throws IOException {
        out.println("Each file fed as one stream after " + StreamCompression.BEGIN_TOKEN + ", " + chunk
                + " tokens a forward pass;" + " bits per byte = sum of surprisal / ln 2 / bytes.");
        out.println(
                "Q1..Q4: the file's quarters by bytes (a token counts in the quarter of its first byte). Compressors on the same bytes:");
        for (String line : compressors.describe()) out.println("  " + line);
        out.println("xz Q4/Q1: xz -9e's cost of the last quarter given the rest (xz of the whole minus xz of the first"
                + " three quarters) over its cost of the first quarter alone.");
        List<byte[]> contents = new ArrayList<>();
        List<double[]> baselines = new ArrayList<>();
        List<double[]> xzQuarters = new ArrayList<>();
        for (Source s : sources) {
            byte[] bytes = Files.readAllBytes(s.file());
            contents.add(bytes);
            double[] b = new double[Compressors.Kind.values().length];
            for (Compressors.Kind k : Compressors.Kind.values()) b[k.ordinal()] = compressors.bitsPerByte(k, bytes);
            baselines.add(b);
            xzQuarters.add(xzFirstAndLastQuarter(compressors, bytes));
        }
        List<StreamReport.Row> all = new ArrayList<>();
        for (Subject subject : subjects) {
            int begin = StreamCompression.beginToken(subject.tokenizer());
            List<StreamReport.Row> rows = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                Source s = sources.get(i);
                StreamCompression.TokenizedBytes tokens =
                        StreamCompression.tokenize(subject.tokenizer(), contents.get(i));
                if (tokens.replacements() > 0) {
                    err.printf(
                            Locale.ROOT,
                            "%s: %d invalid UTF-8 sequences read as U+FFFD (bytes counted as in the file)%n",
                            s.file(),
                            tokens.replacements());
                }
                long t0 = System.nanoTime();
                StreamCompression.Result r =
                        StreamCompression.measure(s.system(), subject.model(), begin, tokens, chunk, FILE_PARTS, null);
                double secs = (System.nanoTime() - t0) / 1e9;
                err.printf(
                        Locale.ROOT,
                        "%s, %s: %d bytes, %d tokens in %.1f s (%.0f tokens/s): %.3f bits per byte%n",
                        subject.name(),
                        s.system(),
                        r.bytes(),
                        r.tokens(),
                        secs,
                        r.tokens() / secs,
                        r.bits().bitsPerByte());
                double[] b = baselines.get(i);
                rows.add(new StreamReport.Row(
                        subject.name(),
                        s.system(),
                        r.tokens(),
                        r.bits(),
                        b[Compressors.Kind.GZIP.ordinal()],
                        b[Compressors.Kind.ZSTD.ordinal()],
                        b[Compressors.Kind.XZ.ordinal()],
                        xzQuarters.get(i)));
            }
            out.println();
            out.println(subject.name() + " (bits per byte):");
            out.print(StreamReport.table(rows));
            out.print(StreamReport.summary(subject.name(), rows));
            all.addAll(rows);
        }
        return all;
    }

    /**
     * One stream of at least {@code minTokens} tokens of renewed copies of the source per model; prints the
     * bits per byte of each tenth and whether any surprisal was NaN or infinite; returns the rows.
     */
    public List<StreamReport.LongRow> longStream(List<Subject> subjects, Source source, long minTokens, long seed)
            throws IOException {
        byte[] text = Files.readAllBytes(source.file());
        out.printf(
                Locale.ROOT,
                "One stream of at least %d tokens: %s repeated, every ASCII digit renewed at random in every copy"
                        + " (seed %d),%n",
                minTokens,
                source.file(),
                seed);
        out.println("fed after " + StreamCompression.BEGIN_TOKEN + ", " + chunk + " tokens a forward pass. T1..T"
                + LONG_PARTS + ": bits per byte of each tenth of the stream's bytes.");
        List<StreamReport.LongRow> rows = new ArrayList<>();
        for (Subject subject : subjects) {
            int begin = StreamCompression.beginToken(subject.tokenizer());
            RenewedRepeats.Stream stream = RenewedRepeats.build(subject.tokenizer(), text, minTokens, seed);
            StreamCompression.TokenizedBytes tokens = stream.tokens();
            err.printf(
                    Locale.ROOT,
                    "%s: %d copies of %s, %d bytes, %d tokens%n",
                    subject.name(),
                    stream.copies(),
                    source.system(),
                    tokens.bytes(),
                    tokens.tokens());
            long t0 = System.nanoTime();
            StreamCompression.Result r = StreamCompression.measure(
                    source.system(),
                    subject.model(),
                    begin,
                    tokens,
                    chunk,
                    LONG_PARTS,
                    progress(subject.name(), tokens.tokens(), t0));
            rows.add(new StreamReport.LongRow(subject.name(), source.system(), stream.copies(), r.tokens(), r.bits()));
        }
        out.println();
        out.print(StreamReport.longTable(rows));
        return rows;
    }

    /** Prints a line each time another tenth of the tokens is done. */
    private LongConsumer progress(String name, int total, long t0) {
        return new LongConsumer() {
            private int reported;

            @Override
            public void accept(long done) {
                int tenth = (int) (done * 10 / Math.max(1, total));
                if (tenth <= reported) return;
                reported = tenth;
                double secs = (System.nanoTime() - t0) / 1e9;
                err.printf(
                        Locale.ROOT,
                        "%s: %d of %d tokens in %.0f s (%.0f tokens/s)%n",
                        name,
                        done,
                        total,
                        secs,
                        done / secs);
            }
        };
    }

    /** Writes CSV text to a file (UTF-8). */
    public static void writeCsv(Path file, String csv) throws IOException {
        Files.writeString(file, csv, StandardCharsets.UTF_8);
    }

    /**
     * xz -9e's bits per byte on the first quarter alone and on the last quarter given the first three (the same
     * quarters as the model's, {@link SegmentBits#partStart}), or null without xz or for a file under 4 bytes.
     */
    static double[] xzFirstAndLastQuarter(Compressors compressors, byte[] bytes) throws IOException {
        if (!compressors.available(Compressors.Kind.XZ) || bytes.length < FILE_PARTS) return null;
        SegmentBits parts = new SegmentBits(bytes.length, FILE_PARTS);
        int q1 = (int) parts.partStart(1), q3 = (int) parts.partStart(FILE_PARTS - 1);
        long first = compressors
                .compressedBytes(Compressors.Kind.XZ, java.util.Arrays.copyOf(bytes, q1))
                .orElseThrow();
        long head = compressors
                .compressedBytes(Compressors.Kind.XZ, java.util.Arrays.copyOf(bytes, q3))
                .orElseThrow();
        long whole = compressors.compressedBytes(Compressors.Kind.XZ, bytes).orElseThrow();
        return new double[] {8.0 * first / q1, 8.0 * (whole - head) / (bytes.length - q3)};
    }
}
