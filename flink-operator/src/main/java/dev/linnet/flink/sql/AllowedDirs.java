package dev.linnet.flink.sql;

import dev.linnet.flink.operator.LinnetClusterOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories under which SQL may open models and tokenizers ({@link LinnetClusterOptions#MODEL_ALLOWED_DIRS}
 * from the TaskManager's own configuration), and the check of a path against them: the path's real path
 * (symlinks followed, "..", "." resolved) must lie under the real path of one of them. A path that is refused
 * is refused with one message whatever the reason (missing, elsewhere, a file for a directory, unreadable), so
 * the message tells a SQL user nothing about the file; the TaskManager's log says why.
 */
final class AllowedDirs {

    private static final Logger LOG = LoggerFactory.getLogger(AllowedDirs.class);

    private final List<String> configured;
    private final List<Path> dirs;

    private AllowedDirs(List<String> configured, List<Path> dirs) {
        this.configured = configured;
        this.dirs = dirs;
    }

    /** The allowed directories of {@code taskManager} (those that do not exist on this machine allow nothing). */
    static AllowedDirs of(ReadableConfig taskManager) {
        List<String> configured = taskManager.get(LinnetClusterOptions.MODEL_ALLOWED_DIRS);
        List<Path> dirs = new ArrayList<>();
        for (String d : configured) {
            if (d == null || d.isBlank()) {
                continue;
            }
            try {
                Path p = Path.of(d.trim());
                if (!p.isAbsolute()) {
                    LOG.warn(
                            "{}: '{}' is not an absolute path; ignored",
                            LinnetClusterOptions.MODEL_ALLOWED_DIRS.key(),
                            d);
                    continue;
                }
                Path real = p.toRealPath();
                if (Files.isDirectory(real)) {
                    dirs.add(real);
                } else {
                    LOG.warn("{}: '{}' is not a directory; ignored", LinnetClusterOptions.MODEL_ALLOWED_DIRS.key(), d);
                }
            } catch (IOException | InvalidPathException | SecurityException e) {
                LOG.warn(
                        "{}: '{}' cannot be resolved on this TaskManager ({}); ignored",
                        LinnetClusterOptions.MODEL_ALLOWED_DIRS.key(),
                        d,
                        e.toString());
            }
        }
        return new AllowedDirs(List.copyOf(configured), List.copyOf(dirs));
    }

    /**
     * The real path of the model directory {@code given}.
     *
     * @throws IllegalArgumentException the same message for every refusal, naming the option and the value given
     */
    Path directory(String given, String option) {
        return resolve(given, option, true);
    }

    /**
     * The real path of the file {@code given}.
     *
     * @throws IllegalArgumentException the same message for every refusal, naming the option and the value given
     */
    Path file(String given, String option) {
        return resolve(given, option, false);
    }

    private Path resolve(String given, String option, boolean directory) {
        String why;
        try {
            Path p = Path.of(given);
            if (!p.isAbsolute()) {
                why = "not an absolute path";
            } else {
                Path real = p.toRealPath();
                if (dirs.stream().noneMatch(real::startsWith)) {
                    why = "its real path " + real + " is under none of " + dirs;
                } else if (directory
                        ? !Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)
                        : !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                    why = directory ? "not a directory" : "not a regular file";
                } else if (!Files.isReadable(real)) {
                    why = "not readable";
                } else {
                    return real;
                }
            }
        } catch (IOException | InvalidPathException | SecurityException e) {
            why = e.toString();
        }
        throw refused(given, option, directory, why);
    }

    /**
     * The allowed directory (its real path) that the real path {@code real}, which {@link #directory} or
     * {@link #file} returned, lies under: the root a load from there is confined to.
     */
    Path rootOf(Path real) {
        return dirs.stream()
                .filter(real::startsWith)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(real + " is under no allowed directory"));
    }

    /**
     * The refusal of {@code given} for {@code option}, in the one message every refusal has; {@code why} goes to
     * the TaskManager's log only.
     */
    IllegalArgumentException refused(String given, String option, boolean directory, String why) {
        LOG.warn("Linnet SQL: refused {} '{}': {}", option, given, why);
        return new IllegalArgumentException(refusal(given, option, directory));
    }

    private String refusal(String given, String option, boolean directory) {
        return option + " '" + given + "' is not " + (directory ? "a model directory" : "a file")
                + " that SQL may read: SQL reads models and tokenizers only under the directories of "
                + LinnetClusterOptions.MODEL_ALLOWED_DIRS.key() + " in the TaskManagers' configuration ("
                + (configured.isEmpty() ? "none is set, so only the bundled default model is available" : configured)
                + ")";
    }
}
