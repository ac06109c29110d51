package dev.linnet.flink.sql;

import dev.linnet.engine.model.ChunkResult;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StateCodec;
import dev.linnet.engine.state.StreamState;
import dev.linnet.engine.tokenizer.Tokenizer;
import dev.linnet.flink.operator.LinnetClusterOptions;
import dev.linnet.flink.operator.LinnetOptions;
import dev.linnet.flink.testing.GoldenModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.TableConfig;

/**
 * The model the SQL tests run: the tiny golden checkpoint (vocab 512) with {@link TinyTokenizerJson}, and
 * what the bare engine says about texts (the results the functions must give, bit for bit).
 */
final class SqlTestModel {

    private static Path tokenizerFile;
    private static Tokenizer tokenizer;

    private SqlTestModel() {}

    static Path modelDir() {
        return GoldenModels.tinyDir();
    }

    static Model model() {
        return GoldenModels.tiny();
    }

    /** The tiny tokenizer.json, alone in a temporary directory of its own (which the cluster allows). */
    static synchronized Path tokenizerFile() {
        if (tokenizerFile == null) {
            try {
                Path dir = Files.createTempDirectory("linnet-tiny-tokenizer-");
                dir.toFile().deleteOnExit();
                Path f = dir.resolve("tokenizer.json");
                TinyTokenizerJson.write(f);
                f.toFile().deleteOnExit();
                tokenizerFile = f;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tokenizerFile;
    }

    /**
     * The TaskManagers' configuration of the SQL tests' MiniClusters: SQL may read the test model's directory and
     * the tokenizer's, nothing else.
     */
    static Configuration clusterConfiguration() {
        Configuration c = new Configuration();
        c.set(
                LinnetClusterOptions.MODEL_ALLOWED_DIRS,
                List.of(
                        modelDir().toAbsolutePath().normalize().toString(),
                        tokenizerFile().getParent().toString()));
        return c;
    }

    static synchronized Tokenizer tokenizer() {
        if (tokenizer == null) {
            try {
                tokenizer = Tokenizer.load(tokenizerFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tokenizer;
    }

    /** Points the session's linnet.model.path and linnet.tokenizer.path at the test model. */
    static void configure(TableConfig config) {
        config.set(LinnetOptions.MODEL_PATH, modelDir().toString());
        config.set(LinnetSqlOptions.TOKENIZER_PATH, tokenizerFile().toString());
    }

    /** A text on an empty state through the bare engine. */
    static ChunkResult alone(String text) {
        Model m = model();
        return m.forward(m.newState(), tokenizer().encode(text), ForwardOptions.DEFAULT);
    }

    /** One row's expected result: the stream's offset before it, the engine's result, tokens seen after it. */
    record Expected(long offset, int[] ids, ChunkResult result, long tokensSeen) {}

    /**
     * The rows' texts run through the bare engine per key in the given order, each key's state advanced
     * record by record (and rounded as {@code storedAs} stores it, when not null).
     */
    static List<Expected> streams(List<String> keys, List<String> texts, StateCodec storedAs) {
        Model m = model();
        Map<String, StreamState> states = new HashMap<>();
        Expected[] out = new Expected[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            StreamState s = states.computeIfAbsent(keys.get(i), k -> m.newState());
            int[] ids = tokenizer().encode(texts.get(i));
            long offset = s.tokensSeen();
            ChunkResult r = m.forward(s, ids, ForwardOptions.DEFAULT);
            if (storedAs != null) {
                storedAs.roundInPlace(s);
            }
            out[i] = new Expected(offset, ids, r, s.tokensSeen());
        }
        return List.of(out);
    }
}
