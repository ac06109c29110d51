package dev.linnet.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.io.Checkpoint;
import dev.linnet.engine.io.Confinement;
import dev.linnet.engine.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LoadOptions#withConfinedTo}: a confined load opens no file whose real path is outside the root, and says
 * nothing about where such a file leads; an unconfined load (the default) follows links as a HuggingFace cache needs.
 */
class ConfinedLoadTest {
    private static final String SECRET = "hunter2 is the first word of this file";

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createDirectories(tmp.resolve("models"));
        outside = Files.createDirectories(tmp.resolve("private"));
        Path src = Golden.tinyHybrid();
        Files.writeString(outside.resolve("secret.json"), SECRET);
        Files.copy(src.resolve("config.json"), outside.resolve("config.json"));
        Files.copy(src.resolve("model.safetensors"), outside.resolve("model.safetensors"));
        Files.copy(src.resolve("model.safetensors"), outside.resolve("shard.safetensors"));
        for (String d :
                new String[] {"plain", "inner-link", "config-out", "secret-config", "single-out", "shard-out"}) {
            Files.createDirectories(root.resolve(d));
        }
        copy(src, "plain", "config.json", "model.safetensors");
        // a link that stays inside the root is followed
        Files.createSymbolicLink(root.resolve("inner-link/config.json"), root.resolve("plain/config.json"));
        copy(src, "inner-link", "model.safetensors");
        Files.createSymbolicLink(root.resolve("config-out/config.json"), outside.resolve("config.json"));
        copy(src, "config-out", "model.safetensors");
        Files.createSymbolicLink(root.resolve("secret-config/config.json"), outside.resolve("secret.json"));
        copy(src, "secret-config", "model.safetensors");
        copy(src, "single-out", "config.json");
        Files.createSymbolicLink(root.resolve("single-out/model.safetensors"), outside.resolve("model.safetensors"));
        copy(src, "shard-out", "config.json");
        StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        try (Checkpoint ck = Checkpoint.open(src.resolve("model.safetensors"))) {
            String sep = "";
            for (String name : ck.names()) {
                index.append(sep).append('"').append(name).append("\": \"model-00001-of-00001.safetensors\"");
                sep = ", ";
            }
        }
        Files.writeString(root.resolve("shard-out/" + Checkpoint.INDEX_FILE), index.append("}}"));
        Files.createSymbolicLink(
                root.resolve("shard-out/model-00001-of-00001.safetensors"), outside.resolve("shard.safetensors"));
        Files.createSymbolicLink(root.resolve("dir-out"), outside);
    }

    private void copy(Path src, String dir, String... files) throws IOException {
        for (String f : files) {
            Files.copy(src.resolve(f), root.resolve(dir).resolve(f));
        }
    }

    private LoadOptions confined() {
        return LoadOptions.DEFAULT.withConfinedTo(root);
    }

    @Test
    void confinementIsOptInAndPartOfTheOptionsIdentity() {
        assertNull(LoadOptions.DEFAULT.confinedTo());
        assertNotEquals(LoadOptions.DEFAULT, confined());
        assertEquals(confined(), LoadOptions.DEFAULT.withConfinedTo(Path.of(root + "/./x/..")));
        assertEquals(
                confined().confinedTo(),
                confined()
                        .withWindowBound(64)
                        .withWeights(LoadOptions.WeightPrecision.F32)
                        .confinedTo());
        assertEquals(LoadOptions.DEFAULT, confined().withConfinedTo(null));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.DEFAULT.withConfinedTo(Path.of("models")));
    }

    @Test
    void filesInsideTheRootLoadAsUnconfined() throws IOException {
        String digest = Model.load(root.resolve("plain")).fingerprint();
        assertEquals(digest, Model.load(root.resolve("plain"), confined()).fingerprint());
        assertEquals(digest, Model.load(root.resolve("inner-link"), confined()).fingerprint());
    }

    @Test
    void theDefaultFollowsLinksOut() throws IOException {
        String digest = Model.load(root.resolve("plain")).fingerprint();
        for (String d : new String[] {"config-out", "single-out", "shard-out", "dir-out"}) {
            assertEquals(digest, Model.load(root.resolve(d)).fingerprint(), d);
        }
    }

    @Test
    void aConfinedLoadRefusesEveryFileThatResolvesOutside() {
        String[][] cases = {
            {"config-out", "config.json"},
            {"secret-config", "config.json"},
            {"single-out", "model.safetensors"},
            {"shard-out", "model-00001-of-00001.safetensors"},
            {"dir-out", "dir-out"},
        };
        for (String[] c : cases) {
            Path dir = root.resolve(c[0]);
            Confinement.OutsideRootException e =
                    assertThrows(Confinement.OutsideRootException.class, () -> Model.load(dir, confined()), c[0]);
            String m = e.getMessage();
            assertTrue(m.contains(c[1]), m);
            assertTrue(e.file().toString().startsWith(root.toString()), m);
            assertFalse(m.contains(outside.toString()) || m.contains("private") || m.contains("hunter2"), m);
            assertFalse(m.contains("shard.safetensors") && !c[1].contains("shard"), m);
        }
    }

    @Test
    void aDanglingLinkIsRefusedWithTheSameMessage() throws IOException {
        Path dir = Files.createDirectories(root.resolve("dangling"));
        Files.copy(Golden.tinyHybrid().resolve("model.safetensors"), dir.resolve("model.safetensors"));
        Files.createSymbolicLink(dir.resolve("config.json"), outside.resolve("no-such.json"));
        Confinement.OutsideRootException e =
                assertThrows(Confinement.OutsideRootException.class, () -> Model.load(dir, confined()));
        assertFalse(e.getMessage().contains("no-such"), e.getMessage());
    }
}
