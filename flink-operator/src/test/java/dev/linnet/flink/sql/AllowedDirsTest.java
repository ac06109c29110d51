package dev.linnet.flink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.flink.operator.LinnetClusterOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which paths SQL may read: real paths (symlinks followed, ".." resolved) under the real path of an allowed
 * directory, and one message for every refusal, which names the value given and nothing about the file.
 */
class AllowedDirsTest {

    @TempDir
    Path tmp;

    private Path allowed;
    private Path outside;

    @BeforeEach
    void layout() throws IOException {
        allowed = Files.createDirectories(tmp.resolve("models"));
        outside = Files.createDirectories(tmp.resolve("models-private"));
        Files.createDirectories(allowed.resolve("tiny"));
        Files.writeString(allowed.resolve("tiny/tokenizer.json"), "{}");
        Files.createDirectories(outside.resolve("tiny"));
        Files.writeString(outside.resolve("secret.json"), "hunter2 is the first word");
        Files.createSymbolicLink(allowed.resolve("escape"), outside.resolve("tiny"));
        Files.createSymbolicLink(allowed.resolve("secret-link.json"), outside.resolve("secret.json"));
        Files.createSymbolicLink(allowed.resolve("tiny-link"), allowed.resolve("tiny"));
    }

    private AllowedDirs allowing(Path... dirs) {
        Configuration c = new Configuration();
        List<String> list = new ArrayList<>();
        for (Path d : dirs) list.add(d.toString());
        c.set(LinnetClusterOptions.MODEL_ALLOWED_DIRS, list);
        return AllowedDirs.of(c);
    }

    @Test
    void pathsUnderAnAllowedDirectoryResolveToTheirRealPath() throws IOException {
        AllowedDirs dirs = allowing(allowed);
        Path tiny = allowed.resolve("tiny").toRealPath();
        assertEquals(tiny, dirs.directory(allowed + "/tiny", "opt"));
        assertEquals(tiny, dirs.directory(allowed + "/./escape/../../models/tiny/", "opt"));
        assertEquals(tiny, dirs.directory(allowed + "/tiny-link", "opt"), "a link that stays inside");
        assertEquals(tiny.resolve("tokenizer.json"), dirs.file(allowed + "/tiny-link/tokenizer.json", "opt"));
        assertEquals(allowed.toRealPath(), dirs.directory(allowed.toString(), "opt"));
        // the allowed directory itself given through a link
        Path link = Files.createSymbolicLink(tmp.resolve("models-link"), allowed);
        assertEquals(tiny, allowing(link).directory(allowed + "/tiny", "opt"));
    }

    @Test
    void everyRefusalHasTheSameMessageWhateverTheFile() {
        AllowedDirs dirs = allowing(allowed);
        List<String> refusedDirs = List.of(
                outside + "/tiny", // exists, elsewhere
                "/no/such/model", // exists nowhere
                allowed + "/missing", // inside, missing
                allowed + "/escape", // a link out
                allowed + "/escape/../tiny", // looks inside, is outside: the link is followed before ".."
                allowed + "/../models-private/tiny", // ".." out
                allowed + "/tiny/tokenizer.json", // a file where a directory is wanted
                "relative/tiny", // no base to resolve against
                "/a\0b"); // not a path at all
        List<String> refusedFiles = List.of(
                outside + "/secret.json", allowed + "/secret-link.json", allowed + "/tiny", "/etc/no-such-file");
        String dirMessage = null;
        for (String p : refusedDirs) {
            String m = assertThrows(IllegalArgumentException.class, () -> dirs.directory(p, "linnet.model.path"))
                    .getMessage();
            String general = m.replace("'" + p + "'", "'<given>'");
            if (dirMessage == null) dirMessage = general;
            assertEquals(dirMessage, general, p);
        }
        String fileMessage = null;
        for (String p : refusedFiles) {
            String m = assertThrows(IllegalArgumentException.class, () -> dirs.file(p, "linnet.tokenizer.path"))
                    .getMessage();
            assertFalse(m.contains("hunter2"), m);
            String general = m.replace("'" + p + "'", "'<given>'");
            if (fileMessage == null) fileMessage = general;
            assertEquals(fileMessage, general, p);
        }
        assertTrue(
                dirMessage.startsWith("linnet.model.path '<given>' is not a model directory that SQL may read")
                        && dirMessage.contains("linnet.model.allowed-dirs")
                        && dirMessage.contains(allowed.toString()),
                dirMessage);
        for (String word : List.of("exist", "private", "link", "real path", "file ")) {
            assertFalse(dirMessage.replace(allowed.toString(), "").contains(word), word + " in " + dirMessage);
        }
    }

    @Test
    void withNoAllowedDirectorySqlReadsNoPath() {
        AllowedDirs none = AllowedDirs.of(new Configuration());
        String m = assertThrows(IllegalArgumentException.class, () -> none.directory(allowed + "/tiny", "opt"))
                .getMessage();
        assertTrue(m.contains("none is set, so only the bundled default model is available"), m);
        // an allowed directory that does not exist allows nothing either, nor does a sibling sharing its prefix
        AllowedDirs missing = allowing(tmp.resolve("nowhere"), tmp.resolve("mod"));
        assertThrows(IllegalArgumentException.class, () -> missing.directory(allowed + "/tiny", "opt"));
    }
}
