package dev.linnet.flink.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The classpaths of a Flink distribution and of a Kafka broker distribution, resolved by Maven from the small poms
 * in test resources {@code cluster/} (flink-dist is not on Maven Central; its jars are). Resolved once into
 * {@code target/cluster-it/} and reused while the pom is unchanged.
 */
final class ClusterClasspath {

    private ClusterClasspath() {}

    static String flink(Path workDir) {
        return resolve(
                "cluster/flink-dist-pom.xml",
                workDir.resolve("flink.classpath"),
                List.of(
                        "-Dflink.version=" + property("linnet.flink.version"),
                        "-Dlog4j.version=" + property("linnet.log4j.version")));
    }

    static String kafka(Path workDir) {
        return resolve(
                "cluster/kafka-dist-pom.xml",
                workDir.resolve("kafka.classpath"),
                List.of("-Dkafka.version=" + property("linnet.kafka.version")));
    }

    private static String resolve(String pomResource, Path output, List<String> properties) {
        try {
            Path pom = resource(pomResource);
            if (Files.isRegularFile(output)
                    && Files.getLastModifiedTime(output).compareTo(Files.getLastModifiedTime(pom)) > 0) {
                return Files.readString(output).strip();
            }
            Files.createDirectories(output.getParent());
            List<String> command = new ArrayList<>(List.of(
                    maven(),
                    "-B",
                    "-q",
                    "-ntp",
                    "-f",
                    pom.toString(),
                    "org.apache.maven.plugins:maven-dependency-plugin:3.11.0:build-classpath",
                    "-Dmdep.outputFile=" + output.toAbsolutePath()));
            command.addAll(properties);
            Path log = output.resolveSibling(output.getFileName() + ".log");
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        "Maven could not resolve " + pomResource + ": " + Files.readString(log));
            }
            return Files.readString(output).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resolving " + pomResource, e);
        }
    }

    /** The Maven running this build (failsafe passes maven.home), else mvn from PATH. */
    private static String maven() {
        String home = System.getProperty("maven.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }

    static String property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(
                    "system property " + name + " is not set: run through `mvn -P cluster-it verify`");
        }
        return v;
    }

    static Path resource(String name) {
        URL url = ClusterClasspath.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " not found");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
