package dev.linnet.flink.local;

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
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The recorded sample logs bundled under {@value #PREFIX}: each {@code NAME.log} or {@code NAME.log.gz} is one
 * stream (key NAME); {@code NAME.faults.tsv}, when present, lists the faults injected while it was recorded
 * (columns fault, time, first_line, last_line). Streams are interleaved in proportion to their lengths.
 */
final class BundledSamples {

    static final String PREFIX = "dev/linnet/flink/local/samples/";

    /** A leading timestamp such as {@code 2026-11-28 18:00:42.288 UTC} or {@code 2026-11-28T18:00:42Z}. */
    private static final Pattern LEADING_TIME = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?)(?: ?(UTC|Z|[+-]\\d{2}:?\\d{2}))?");

    private BundledSamples() {}

    /** The bundled samples, at most {@code limit} lines in all, or null when this build has none. */
    static SampleLog load(int limit) throws IOException {
        ClassLoader loader = BundledSamples.class.getClassLoader();
        List<String> files = resourceNames(loader);
        List<String> keys = new ArrayList<>();
        List<List<SampleLog.Line>> streams = new ArrayList<>();
        List<SampleLog.Fault> faults = new ArrayList<>();
        for (String file : files) {
            String key = streamName(file);
            if (key == null) {
                continue;
            }
            List<SampleLog.Line> lines = new ArrayList<>();
            try (BufferedReader r = reader(loader, file)) {
                int number = 0;
                for (String l; (l = r.readLine()) != null; ) {
                    number++;
                    if (!l.isBlank()) {
                        lines.add(new SampleLog.Line(key, number, leadingTime(l), l));
                    }
                }
            }
            keys.add(key);
            streams.add(lines);
            if (loader.getResource(PREFIX + key + ".faults.tsv") != null) {
                faults.addAll(faults(loader, key));
            }
        }
        if (streams.isEmpty()) {
            return null;
        }
        List<SampleLog.Line> merged = interleave(streams, limit);
        return new SampleLog(
                merged,
                faults,
                "bundled sample logs recorded from real servers (" + String.join(", ", keys) + "): " + merged.size()
                        + " lines" + (faults.isEmpty() ? "" : ", " + faults.size() + " injected faults"));
    }

    /** The stream a file holds, or null when it is not a log. */
    static String streamName(String file) {
        if (file.endsWith(".log")) {
            return file.substring(0, file.length() - ".log".length());
        }
        if (file.endsWith(".log.gz")) {
            return file.substring(0, file.length() - ".log.gz".length());
        }
        return null;
    }

    private static BufferedReader reader(ClassLoader loader, String file) throws IOException {
        InputStream in = loader.getResourceAsStream(PREFIX + file);
        if (in == null) {
            throw new IOException("sample " + PREFIX + file + " disappeared from the class path");
        }
        if (file.endsWith(".gz")) {
            in = new GZIPInputStream(in);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static List<SampleLog.Fault> faults(ClassLoader loader, String key) throws IOException {
        List<SampleLog.Fault> out = new ArrayList<>();
        try (BufferedReader r = reader(loader, key + ".faults.tsv")) {
            String header = r.readLine();
            if (header == null || !header.startsWith("fault\t")) {
                throw new IOException(
                        PREFIX + key + ".faults.tsv: expected a header 'fault<TAB>time<TAB>first_line<TAB>last_line'");
            }
            for (String l; (l = r.readLine()) != null; ) {
                if (l.isBlank()) {
                    continue;
                }
                String[] f = l.split("\t");
                try {
                    out.add(new SampleLog.Fault(
                            key, f[0], Integer.parseInt(f[2].trim()), Integer.parseInt(f[3].trim())));
                } catch (RuntimeException e) {
                    throw new IOException(PREFIX + key + ".faults.tsv: bad row '" + l + "'", e);
                }
            }
        }
        return out;
    }

    /** The time a log line starts with (UTC unless it says otherwise), or null. */
    static Long leadingTime(String line) {
        Matcher m = LEADING_TIME.matcher(line);
        if (!m.find()) {
            return null;
        }
        try {
            LocalDateTime local =
                    LocalDateTime.parse(m.group(1) + "T" + m.group(2), DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            String zone = m.group(3);
            ZoneOffset offset = zone == null || zone.equals("UTC") || zone.equals("Z")
                    ? ZoneOffset.UTC
                    : ZoneOffset.of(zone.length() == 5 ? zone.substring(0, 3) + ":" + zone.substring(3) : zone);
            return OffsetDateTime.of(local, offset).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Repeatedly takes the next line of the stream that is proportionally furthest behind. */
    static List<SampleLog.Line> interleave(List<List<SampleLog.Line>> streams, int limit) {
        int total = 0;
        for (List<SampleLog.Line> s : streams) {
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
            out.add(streams.get(best).get(next[best]++));
        }
        return out;
    }

    private static List<String> resourceNames(ClassLoader loader) throws IOException {
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
                        if (entry.startsWith(PREFIX)
                                && entry.length() > PREFIX.length()
                                && entry.indexOf('/', PREFIX.length()) < 0) {
                            names.add(entry.substring(PREFIX.length()));
                        }
                    }
                }
            } else if ("file".equals(url.getProtocol())) {
                try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                    files.map(p -> p.getFileName().toString()).forEach(names::add);
                } catch (URISyntaxException e) {
                    throw new IOException("bad sample directory URL " + url, e);
                }
            }
        }
        return new ArrayList<>(names);
    }
}
