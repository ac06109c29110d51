package dev.linnet.flink.cluster;

import dev.linnet.flink.cluster.probe.ExactlyOnceProbeJob;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds the probe job's jar the way linnet-jobs.jar is built: the job's classes plus the Kafka connector and
 * kafka-clients (with its compression libraries) inside, Flink itself left to the cluster.
 */
final class ProbeJobJar {

    /** Jars of this test's classpath that go into the job jar, by file-name prefix. */
    private static final List<String> BUNDLED =
            List.of("flink-connector-kafka-", "kafka-clients-", "zstd-jni-", "lz4-java-", "snappy-java-");

    private ProbeJobJar() {}

    static Path build(Path target) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ExactlyOnceProbeJob.class.getName());
        Set<String> written = new HashSet<>();
        int bundled = 0;
        try {
            Files.createDirectories(target.getParent());
            try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target), manifest)) {
                written.add("META-INF/MANIFEST.MF");
                Path classes = Path.of(ExactlyOnceProbeJob.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI());
                Path probePackage = classes.resolve(
                        ExactlyOnceProbeJob.class.getPackageName().replace('.', '/'));
                try (Stream<Path> files = Files.walk(probePackage)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
                        try (InputStream in = Files.newInputStream(f)) {
                            copy(jar, name, in, written);
                        }
                    }
                }
                for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                    String file = Path.of(entry).getFileName().toString();
                    if (file.endsWith(".jar") && BUNDLED.stream().anyMatch(file::startsWith)) {
                        bundle(jar, Path.of(entry), written);
                        bundled++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not build " + target, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (bundled < 2) {
            throw new IllegalStateException(
                    "the Kafka connector and kafka-clients are not on the test classpath; bundled " + bundled);
        }
        return target;
    }

    private static void bundle(JarOutputStream jar, Path dependency, Set<String> written) throws IOException {
        try (JarFile jf = new JarFile(dependency.toFile())) {
            for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                boolean signature = name.startsWith("META-INF/")
                        && (name.endsWith(".SF") || name.endsWith(".DSA") || name.endsWith(".RSA"));
                if (entry.isDirectory() || signature || name.endsWith("module-info.class")) {
                    continue;
                }
                try (InputStream in = jf.getInputStream(entry)) {
                    copy(jar, name, in, written);
                }
            }
        }
    }

    /** First copy wins: the jars above share only licence files and the like. */
    private static void copy(JarOutputStream jar, String name, InputStream in, Set<String> written) throws IOException {
        if (!written.add(name)) {
            return;
        }
        jar.putNextEntry(new JarEntry(name));
        in.transferTo(jar);
        jar.closeEntry();
    }
}
