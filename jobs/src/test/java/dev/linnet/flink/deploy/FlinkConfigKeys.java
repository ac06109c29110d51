package dev.linnet.flink.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

/**
 * Every {@link ConfigOption} this module's test classpath knows: found by reflection on the static
 * {@code ConfigOption} fields of each {@code *Options} class under {@code org.apache.flink} and {@code dev.linnet}
 * (Flink's core, runtime, RocksDB, table, the Kafka connector, and Linnet's own options).
 */
final class FlinkConfigKeys {

    /**
     * Keys read by programs that are not on this classpath, so reflection cannot see them. Each names its owner;
     * keep this list short and add to it only with the owner's documentation at hand.
     */
    static final Map<String, String> KEYS_OF_OTHER_PROGRAMS = Map.of(
            // Flink Kubernetes Operator, KubernetesOperatorConfigOptions
            "kubernetes.operator.savepoint.format.type", "Flink Kubernetes Operator",
            "kubernetes.operator.savepoint.history.max.count", "Flink Kubernetes Operator",
            // Flink SQL client, SqlClientOptions (flink-sql-client is part of the distribution, not of this build)
            "sql-client.execution.result-mode", "Flink SQL client");

    private static final Set<String> SCANNED_PACKAGES = Set.of("org/apache/flink/", "dev/linnet/");

    private final Map<String, ConfigOption<?>> current = new HashMap<>();
    private final Map<String, ConfigOption<?>> deprecated = new HashMap<>();

    private FlinkConfigKeys() {}

    static FlinkConfigKeys scanClasspath() {
        FlinkConfigKeys keys = new FlinkConfigKeys();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                keys.scanJar(p);
            } else if (Files.isDirectory(p)) {
                keys.scanDirectory(p);
            }
        }
        if (keys.current.size() < 500) {
            throw new IllegalStateException(
                    "found only " + keys.current.size() + " Flink options on the classpath: is Flink on it?");
        }
        return keys;
    }

    /** The option whose current key this is. */
    Optional<ConfigOption<?>> option(String key) {
        return Optional.ofNullable(current.get(key));
    }

    /** The option that still reads this old key, if the key is only a deprecated name. */
    Optional<ConfigOption<?>> replacementOf(String deprecatedKey) {
        return Optional.ofNullable(deprecated.get(deprecatedKey));
    }

    int size() {
        return current.size();
    }

    private void scanJar(Path jar) {
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
                consider(e.nextElement().getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    private void scanDirectory(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile)
                    .forEach(f -> consider(dir.relativize(f).toString().replace(File.separatorChar, '/')));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + dir, e);
        }
    }

    private void consider(String resource) {
        if (!resource.endsWith("Options.class")
                || resource.contains("$")
                || SCANNED_PACKAGES.stream().noneMatch(resource::startsWith)
                || resource.contains("/shaded/")) {
            return;
        }
        String className =
                resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
        Class<?> c;
        try {
            c = Class.forName(className, false, FlinkConfigKeys.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return; // an options class whose optional dependencies are absent defines no key we can use here
        }
        for (Field f : c.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || !ConfigOption.class.isAssignableFrom(f.getType())) {
                continue;
            }
            try {
                f.setAccessible(true);
                ConfigOption<?> option = (ConfigOption<?>) f.get(null);
                if (option == null) {
                    continue;
                }
                current.put(option.key(), option);
                for (FallbackKey fallback : option.fallbackKeys()) {
                    deprecated.putIfAbsent(fallback.getKey(), option);
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // a field that cannot be read (module rules, failed initialiser) contributes no key
            }
        }
    }
}
