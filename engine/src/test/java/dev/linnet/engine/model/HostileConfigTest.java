package dev.linnet.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linnet.engine.config.ConfigException;
import dev.linnet.engine.config.ConfigParser;
import dev.linnet.engine.config.ModelConfig;
import dev.linnet.engine.state.StateCodec;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import dev.linnet.engine.testing.Golden;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile config.json is refused at load with a message naming the file and the field: JSON as strict as a
 * safetensors header, and a per-stream state of bounded size (a window that passes the one-array check but
 * makes states of gigabytes used to load, then fail at the first stream). States of another shape than the
 * loaded model's are refused before they are used.
 */
class HostileConfigTest {
    /** 6 layers (4 lightning: 8 heads of 8; 2 softmax: kv width 16), hidden 48, sliding_window 20. */
    private static final String CASE = "gqa-top1-tied";

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path dirWithConfigText(String configText) throws Exception {
        Path src = Golden.resourceCase(CASE);
        Path dir = Files.createDirectories(tmp.resolve("c" + System.nanoTime()));
        Files.writeString(dir.resolve("config.json"), configText);
        Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        return dir;
    }

    private Path withConfig(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode cfg = (ObjectNode)
                JSON.readTree(Golden.resourceCase(CASE).resolve("config.json").toFile());
        edit.accept(cfg);
        return dirWithConfigText(JSON.writeValueAsString(cfg));
    }

    private static ConfigException refused(Path dir, LoadOptions options, String... words) {
        ConfigException e = assertThrows(ConfigException.class, () -> Model.load(dir, options));
        for (String w : words) assertTrue(e.getMessage().contains(w), "expected '" + w + "' in: " + e.getMessage());
        return e;
    }

    private static ConfigException refused(Path dir, String... words) {
        return refused(dir, LoadOptions.DEFAULT, words);
    }

    @Test
    void windowOfTwoToTheThirtyOneIsRefusedAtLoad() throws Exception {
        refused(withConfig(c -> c.put("sliding_window", Integer.MAX_VALUE)), "config.json", "sliding_window");
    }

    @Test
    void stateOfGigabytesIsRefusedAtLoadNotAtTheFirstStream() throws Exception {
        // a ring of 2^26 x 16 = 2^30 floats fits one array, but 2 softmax layers x keys and values make 16 GiB a
        // stream: this used to load, then fail in newState() or in the codec's int arithmetic
        ConfigException e = refused(
                withConfig(c -> c.put("sliding_window", 1 << 26)),
                "config.json",
                "per-stream state",
                "sliding_window 67108864",
                "limit of " + ModelConfig.MAX_STATE_BYTES);
        assertTrue(e.getMessage().contains("17179877576 bytes"), e.getMessage());
        // the same through the load option when the config sets no window
        Path noWindow = withConfig(c -> c.remove("sliding_window"));
        refused(noWindow, LoadOptions.DEFAULT.withWindowBound(1 << 26), "per-stream state", "window bound 67108864");
        // and just under the limit still loads
        int window = 1 << 22; // 2 x 2 x 2^22 x 16 x 4 bytes = 1 GiB of rings: over, with the other parts
        refused(noWindow, LoadOptions.DEFAULT.withWindowBound(window), "per-stream state");
        Model ok = Model.load(noWindow, LoadOptions.DEFAULT.withWindowBound(window / 2));
        assertTrue(ok.config().stateBytes(window / 2) <= ModelConfig.MAX_STATE_BYTES);
    }

    @Test
    void stateBytesCountWhatAStateHolds() throws Exception {
        Model m = Model.load(Golden.resourceCase(CASE));
        assertEquals(m.newState().memoryBytes(), m.config().stateBytes(m.window()));
    }

    @Test
    void keysGivenTwiceTrailingContentAndBadNumbersAreRefused() throws Exception {
        String text = Files.readString(Golden.resourceCase(CASE).resolve("config.json"));
        // the second hidden_size would silently win
        refused(
                dirWithConfigText(text.replaceFirst("\\{", "{\"hidden_size\": 4096,")),
                "config.json",
                "not valid JSON",
                "Duplicate field 'hidden_size'");
        refused(dirWithConfigText(text + "\n{\"vocab_size\": 1}"), "config.json", "not valid JSON", "Trailing token");
        refused(dirWithConfigText(""), "config.json", "is empty");
        refused(dirWithConfigText("[1, 2]"), "config.json", "expected a JSON object");
        refused(dirWithConfigText(text.replace("\"rope_theta\": 10000.0", "\"rope_theta\": 1e999")), "rope_theta");
        refused(withConfig(c -> c.put("rms_norm_eps", 0.0)), "rms_norm_eps");
        refused(
                dirWithConfigText(text.replace("\"mlp_alpha_factor\": 1", "\"mlp_alpha_factor\": -1e999")),
                "mlp_alpha_factor",
                "finite");
        ConfigException e = refused(withConfig(c -> c.put("model_type", "x".repeat(100_000))), "model_type", "...");
        assertTrue(e.getMessage().length() < 1000, "a hostile value is cut short in the message");
    }

    @Test
    void filesOverTheCapAreRefusedUnread() throws Exception {
        Path dir = dirWithConfigText("");
        try (RandomAccessFile f =
                new RandomAccessFile(dir.resolve("config.json").toFile(), "rw")) {
            f.setLength(ConfigParser.MAX_CONFIG_BYTES + 1);
        }
        refused(
                dir,
                "config.json",
                "is " + (ConfigParser.MAX_CONFIG_BYTES + 1) + " bytes, more than the limit of 1048576");
    }

    @Test
    void statesOfAnotherShapeAreRefusedBeforeUse() throws Exception {
        Model m = Model.load(Golden.resourceCase(CASE));
        StreamState own = m.newState();
        // same layer counts, window, lightning size and hidden: only the kv width differs (8 instead of 16)
        StreamState narrow = new StreamState(
                own.linearLayers(), own.linear(0).length, own.windowLayers(), own.window(), 8, own.lastHidden().length);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> m.forward(narrow, new int[] {1, 2, 3}, ForwardOptions.DEFAULT));
        assertTrue(e.getMessage().contains("another shape"), e.getMessage());
        StateCodec codec = m.stateCodec(StatePrecision.FLOAT32);
        e = assertThrows(IllegalArgumentException.class, () -> codec.encode(narrow));
        assertTrue(e.getMessage().contains("another model's shape"), e.getMessage());
        // a shape no array holds is refused by name, not by a negative array size
        e = assertThrows(IllegalArgumentException.class, () -> new StreamState(1, 4, 1, 1 << 20, 1 << 12, 8));
        assertTrue(e.getMessage().contains("window 1048576"), e.getMessage());
    }
}
