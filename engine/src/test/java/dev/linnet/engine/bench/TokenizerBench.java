package dev.linnet.engine.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import dev.linnet.engine.tokenizer.Cl100kTokenizerJson;
import dev.linnet.engine.tokenizer.EncodeOptions;
import dev.linnet.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Linnet's tokenizer next to jtokkit on the same vocabulary (cl100k_base, loaded into Linnet as a
 * tokenizer.json from jtokkit's own ranks file) and the same text, one thread. The secondary result
 * {@code rate:megabytes} is the speed in MB/s of UTF-8 input per core.
 *
 * <p>Text: {@code logs} = the loghub samples (one record per line, ~3.5 MB, read from
 * ../shared/data/loghub, or -Dlinnet.loghub.dir=...), {@code prose} = the license texts of
 * /usr/share/common-licenses (one record per paragraph, ~0.3 MB). The setup checks that both tokenizers
 * give the same ids for every record.
 *
 * <pre>mvn -B -ntp -pl engine -am -Pbench -DskipTests test -Djmh.args="TokenizerBench"</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class TokenizerBench {

    @Param({"logs", "prose"})
    public String text;

    private Tokenizer linnet;
    private com.knuddels.jtokkit.api.Encoding jtokkit;
    private String[] strings;
    private byte[][] records;
    private double megabytes;

    /** JMH reports this counter as a rate: MB/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rate {
        public double megabytes;

        @Setup(Level.Iteration)
        public void reset() {
            megabytes = 0;
        }
    }

    @Setup
    public void setUp() throws IOException {
        List<String> lines = text.equals("logs") ? logLines() : proseParagraphs();
        strings = lines.toArray(new String[0]);
        records = new byte[strings.length][];
        long bytes = 0;
        for (int i = 0; i < strings.length; i++) {
            records[i] = strings[i].getBytes(StandardCharsets.UTF_8);
            bytes += records[i].length;
        }
        megabytes = bytes / 1e6;
        linnet = Cl100kTokenizerJson.tokenizer();
        jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        for (String s : strings) {
            if (!Arrays.equals(linnet.encode(s), jtokkit.encodeOrdinary(s).toArray())) {
                throw new IllegalStateException("Linnet and jtokkit disagree on: " + s);
            }
        }
        System.out.printf("%n%s: %d records, %.2f MB, same ids from both%n", text, strings.length, megabytes);
    }

    /** Linnet from Java strings (what jtokkit takes). */
    @Benchmark
    public long linnetString(Rate rate) {
        long n = 0;
        for (String s : strings) {
            n += linnet.encode(s).length;
        }
        rate.megabytes += megabytes;
        return n;
    }

    /** Linnet from UTF-8 bytes, as records arrive from Kafka (decoding and validation included). */
    @Benchmark
    public long linnetBytes(Rate rate) {
        long n = 0;
        for (byte[] r : records) {
            n += linnet.encodeUtf8(r, EncodeOptions.DEFAULT).size();
        }
        rate.megabytes += megabytes;
        return n;
    }

    @Benchmark
    public long jtokkitString(Rate rate) {
        long n = 0;
        for (String s : strings) {
            n += jtokkit.encodeOrdinary(s).size();
        }
        rate.megabytes += megabytes;
        return n;
    }

    private static List<String> logLines() throws IOException {
        Path dir = null;
        for (String candidate : new String[] {
            System.getProperty("linnet.loghub.dir", ""), "../shared/data/loghub", "../../shared/data/loghub"
        }) {
            if (!candidate.isEmpty() && Files.isDirectory(Paths.get(candidate))) {
                dir = Paths.get(candidate);
                break;
            }
        }
        if (dir == null) {
            throw new IllegalStateException("loghub samples not found: pass -Dlinnet.loghub.dir=DIR (or have them at"
                    + " ../shared/data/loghub beside the project); they are not in the repository (research use only):"
                    + " logpai/loghub on GitHub, see evaluation/README.md");
        }
        List<String> lines = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> systems = Files.newDirectoryStream(dir)) {
            for (Path system : systems) {
                if (Files.isDirectory(system)) {
                    try (DirectoryStream<Path> logs = Files.newDirectoryStream(system, "*_2k.log")) {
                        logs.forEach(files::add);
                    }
                }
            }
        }
        files.sort(null);
        for (Path f : files) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    private static List<String> proseParagraphs() {
        Path dir = Paths.get("/usr/share/common-licenses");
        List<String> paragraphs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            List<Path> sorted = new ArrayList<>();
            files.forEach(sorted::add);
            sorted.sort(null);
            for (Path f : sorted) {
                if (Files.isRegularFile(f) && !Files.isSymbolicLink(f)) {
                    for (String p : Files.readString(f, StandardCharsets.UTF_8).split("\n\\s*\n")) {
                        if (!p.isBlank()) {
                            paragraphs.add(p);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("prose for the benchmark is read from " + dir, e);
        }
        return paragraphs;
    }
}
