package dev.linnet.flink.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The recorded sample logs bundled under {@value #PREFIX}: each {@code NAME.log} is one stream (key NAME).
 * Streams are interleaved in proportion to their lengths, so they progress side by side as they would have.
 */
final class BundledSamples {

    static final String PREFIX = "dev/linnet/flink/samples/";

    private BundledSamples() {}

    /** The bundled samples, at most {@code limit} lines in all, or null when this build has none. */
    static SampleLog load(int limit) throws IOException {
        ClassLoader loader = BundledSamples.class.getClassLoader();
        List<String> names = logNames(loader);
        if (names.isEmpty()) {
            return null;
        }
        List<List<String>> streams = new ArrayList<>();
        for (String name : names) {
            try (InputStream in = loader.getResourceAsStream(PREFIX + name)) {
                if (in == null) {
                    continue;
                }
                List<String> lines = new ArrayList<>();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        if (!l.isBlank()) {
                            lines.add(l);
                        }
                    }
                }
                streams.add(lines);
            }
        }
        List<SampleLog.Line> merged = interleave(names, streams, limit);
        return new SampleLog(merged, "bundled sample logs (" + String.join(", ", names) + "): " + merged.size() + " lines");
    }

    /** Repeatedly takes the next line of the stream that is proportionally furthest behind. */
    static List<SampleLog.Line> interleave(List<String> names, List<List<String>> streams, int limit) {
        int total = 0;
        for (List<String> s : streams) {
            total += s.size();
        }
        int n = Math.min(total, limit);
        int[] next = new int[streams.size()];
        List<SampleLog.Line> out = new ArrayList<>(n);
        while (out.size() < n) {
            int best = -1;
            double bestProgress = Double.MAX_VALUE;
            for (int i = 0; i < streams.size(); i++) {
                if (next[i] < streams.get(i).size()) {
                    double progress = (next[i] + 0.5) / streams.get(i).size();
                    if (progress < bestProgress) {
                        bestProgress = progress;
                        best = i;
                    }
                }
            }
            String name = names.get(best);
            out.add(new SampleLog.Line(name.substring(0, name.length() - ".log".length()), streams.get(best).get(next[best]++)));
        }
        return out;
    }

    private static List<String> logNames(ClassLoader loader) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        Enumeration<URL> dirs = loader.getResources(PREFIX);
        while (dirs.hasMoreElements()) {
            URL url = dirs.nextElement();
            if ("jar".equals(url.getProtocol())) {
                JarURLConnection c = (JarURLConnection) url.openConnection();
                c.setUseCaches(false);
                try (JarFile jar = c.getJarFile()) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String entry = e.nextElement().getName();
                        if (entry.startsWith(PREFIX) && entry.endsWith(".log") && entry.indexOf('/', PREFIX.length()) < 0) {
                            names.add(entry.substring(PREFIX.length()));
                        }
                    }
                }
            } else if ("file".equals(url.getProtocol())) {
                try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                    files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".log")).forEach(names::add);
                } catch (URISyntaxException e) {
                    throw new IOException("bad sample directory URL " + url, e);
                }
            }
        }
        return new ArrayList<>(names);
    }
}
