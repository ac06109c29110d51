package dev.linnet.evaluation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * The general-purpose compressors a model's bits per byte are measured against: {@code gzip -9},
 * {@code zstd -19} and {@code xz -9e}. Each runs as the command-line tool when that is on the PATH (the
 * figures anyone can reproduce), else as a Java library with the same settings, else it is unavailable.
 * Library and tool give sizes within a few percent of each other (different encoders, same format).
 */
public final class Compressors {

    /** The three baselines, each with the settings of its tool's command line. */
    public enum Kind {
        GZIP("gzip -9", "gzip", List.of("-9", "-c")),
        ZSTD("zstd -19", "zstd", List.of("-19", "-c", "-q")),
        XZ("xz -9e", "xz", List.of("-9e", "-c"));

        private final String label;
        private final String tool;
        private final List<String> toolArgs;

        Kind(String label, String tool, List<String> toolArgs) {
            this.label = label;
            this.tool = tool;
            this.toolArgs = toolArgs;
        }

        /** As on the command line, e.g. "xz -9e". */
        public String label() {
            return label;
        }
    }

    /** How a kind is computed: the tool at a path, a Java library, or not at all. */
    private sealed interface Impl permits Tool, Library, Unavailable {}

    private record Tool(Path executable, String version) implements Impl {}

    private record Library(String name) implements Impl {}

    private record Unavailable(String why) implements Impl {}

    private final Map<Kind, Impl> impls;

    private Compressors(Map<Kind, Impl> impls) {
        this.impls = impls;
    }

    /** Each compressor as its tool when on the PATH, else as its Java library. */
    public static Compressors detect() {
        Map<Kind, Impl> m = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            Path exe = onPath(k.tool);
            m.put(k, exe != null ? new Tool(exe, version(exe)) : library(k));
        }
        return new Compressors(m);
    }

    /** Each compressor as its Java library only (tests compare the two). */
    public static Compressors librariesOnly() {
        Map<Kind, Impl> m = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) m.put(k, library(k));
        return new Compressors(m);
    }

    /** Whether {@code kind} is computed by its command-line tool. */
    public boolean usesTool(Kind kind) {
        return impls.get(kind) instanceof Tool;
    }

    public boolean available(Kind kind) {
        return !(impls.get(kind) instanceof Unavailable);
    }

    /** One line per compressor saying how it is computed, for a report's header. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Kind k : Kind.values()) {
            Impl impl = impls.get(k);
            String how;
            if (impl instanceof Tool t) {
                how = "tool " + t.executable() + " " + String.join(" ", k.toolArgs)
                        + (t.version().isEmpty() ? "" : " (" + t.version() + ")");
            } else if (impl instanceof Library l) {
                how = "library " + l.name();
            } else {
                how = "n/a (" + ((Unavailable) impl).why() + ")";
            }
            lines.add(k.label() + ": " + how);
        }
        return lines;
    }

    /** The compressed size of {@code data} in bytes, or empty when this compressor is unavailable. */
    public OptionalLong compressedBytes(Kind kind, byte[] data) throws IOException {
        Impl impl = impls.get(kind);
        if (impl instanceof Tool t) return OptionalLong.of(runTool(t.executable(), kind.toolArgs, data));
        if (impl instanceof Library) return OptionalLong.of(compressInJava(kind, data));
        return OptionalLong.empty();
    }

    /** Bits per byte of {@code data} under this compressor (NaN when unavailable or data is empty). */
    public double bitsPerByte(Kind kind, byte[] data) throws IOException {
        OptionalLong n = compressedBytes(kind, data);
        return n.isEmpty() || data.length == 0 ? Double.NaN : 8.0 * n.getAsLong() / data.length;
    }

    private static Impl library(Kind kind) {
        try {
            compressInJava(kind, new byte[] {'o', 'k', '\n'});
        } catch (IOException | LinkageError e) {
            // zstd-jni carries native code for the common platforms only; without it zstd is n/a
            return new Unavailable(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return switch (kind) {
            case GZIP -> new Library("java.util.zip, level 9");
            case ZSTD -> new Library("zstd-jni " + zstdVersion() + ", level 19");
            case XZ -> new Library("org.tukaani:xz, LZMA2 preset 9 extreme (BT4, nice 273, depth 512)");
        };
    }

    static long compressInJava(Kind kind, byte[] data) throws IOException {
        return switch (kind) {
            case GZIP -> gzip(data);
            case ZSTD -> com.github.luben.zstd.Zstd.compress(data, 19).length;
            case XZ -> xz(data);
        };
    }

    private static long gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            out.write(data);
        }
        return bytes.size();
    }

    private static long xz(byte[] data) throws IOException {
        LZMA2Options options = new LZMA2Options(9);
        // what xz's -e adds to preset 9 (liblzma's lzma_lzma_preset with LZMA_PRESET_EXTREME)
        options.setMode(LZMA2Options.MODE_NORMAL);
        options.setMatchFinder(LZMA2Options.MF_BT4);
        options.setNiceLen(LZMA2Options.NICE_LEN_MAX);
        options.setDepthLimit(512);
        // no match reaches further back than the input: a dictionary the input's size compresses the same
        // and spares the 64 MiB one's match-finder tables (about 10x the dictionary)
        options.setDictSize(Math.max(LZMA2Options.DICT_SIZE_MIN, Math.min(options.getDictSize(), data.length)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (XZOutputStream out = new XZOutputStream(bytes, options)) {
            out.write(data);
        }
        return bytes.size();
    }

    private static String zstdVersion() {
        try {
            return com.github.luben.zstd.util.ZstdVersion.VERSION;
        } catch (LinkageError e) {
            return "";
        }
    }

    /** Runs the tool on the data (from a temporary file: no thread needed to feed its input) and counts its output. */
    private static long runTool(Path exe, List<String> args, byte[] data) throws IOException {
        Path in = Files.createTempFile("linnet-compress", ".bin");
        try {
            Files.write(in, data);
            List<String> cmd = new ArrayList<>();
            cmd.add(exe.toString());
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(in.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            long n = 0;
            try (InputStream out = p.getInputStream()) {
                n = out.transferTo(OutputStream.nullOutputStream());
            }
            int rc = p.waitFor();
            if (rc != 0) throw new IOException(String.join(" ", cmd) + " failed with exit status " + rc);
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + exe, e);
        } finally {
            Files.deleteIfExists(in);
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** The first line of the tool's --version, or "" when it gives none. */
    private static String version(Path exe) {
        try {
            Process p = new ProcessBuilder(exe.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String text;
            try (InputStream out = p.getInputStream()) {
                text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            p.waitFor();
            // zstd frames its banner in asterisks
            String first = text.lines().findFirst().orElse("").replaceAll("^[*\\s]+|[*\\s]+$", "");
            return first.length() > 80 ? first.substring(0, 80) : first;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
