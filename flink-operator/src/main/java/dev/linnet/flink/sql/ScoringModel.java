package dev.linnet.flink.sql;

import dev.linnet.engine.io.Confinement;
import dev.linnet.engine.model.LoadOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.tokenizer.Tokenizer;
import dev.linnet.flink.operator.LinnetOptions;
import dev.linnet.flink.operator.SharedModels;
import dev.linnet.flink.operator.TaskThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.table.functions.FunctionContext;

/**
 * The model and tokenizer one SQL function instance scores with. The model's weights come from
 * {@link SharedModels} (loaded once per JVM and class loader, shared with every other Linnet operator or
 * function of the job on this TaskManager); the tokenizer is the instance's own (it keeps per-call buffers).
 */
final class ScoringModel implements AutoCloseable {

    private final SharedModels.Lease lease;
    private final Model model;
    private final SpanTokenizer tokenizer;

    private ScoringModel(SharedModels.Lease lease, SpanTokenizer tokenizer) {
        this.lease = lease;
        this.model = lease.model();
        this.tokenizer = tokenizer;
    }

    /**
     * Loads (or shares) the model and reads the tokenizer that {@code settings} name, for a function opened with
     * {@code context}. Paths are used only under the TaskManager's {@code linnet.model.allowed-dirs}; the bundled
     * model (no path, or {@code 'default'}) needs none.
     *
     * @throws IllegalArgumentException naming the option when a path is not allowed (and nothing about the file),
     *     or naming the file when an allowed tokenizer is missing or does not fit
     */
    static ScoringModel open(SqlSettings settings, FunctionContext context, String function) {
        RuntimeContext task = TaskOfFunction.runtimeContext(context, function);
        AllowedDirs allowed = AllowedDirs.of(TaskThreads.taskManagerConfiguration(task));
        Path dir = settings.modelPath() == null
                ? BundledModel.directory()
                : allowed.directory(settings.modelPath(), LinnetOptions.MODEL_PATH.key());
        // an allowed model directory is read only inside the allowed directory holding it: links in it are
        // followed no further (the engine's loader refuses a file that resolves elsewhere)
        Path root = settings.modelPath() == null ? null : allowed.rootOf(dir);
        Path tokenizerFile;
        if (settings.tokenizerPath() != null) {
            tokenizerFile = allowed.file(settings.tokenizerPath(), LinnetSqlOptions.TOKENIZER_PATH.key());
        } else {
            Path own = dir.resolve("tokenizer.json");
            if (!Files.exists(own, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("no tokenizer for " + settings.describeModel() + ": " + dir
                        + " has no tokenizer.json (set " + LinnetSqlOptions.TOKENIZER_PATH.key()
                        + " to the model's tokenizer.json)");
            }
            try {
                tokenizerFile = Confinement.check(own, root);
            } catch (IOException e) {
                throw allowed.refused(own.toString(), LinnetSqlOptions.TOKENIZER_PATH.key(), false, e.getMessage());
            }
        }
        Tokenizer tokenizer;
        try {
            tokenizer = Tokenizer.load(tokenizerFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer " + tokenizerFile + ": " + e.getMessage(), e);
        }
        SharedModels.Lease lease;
        try {
            lease = SharedModels.acquire(
                    dir,
                    LoadOptions.DEFAULT.withWindowBound(settings.windowBound()).withConfinedTo(root),
                    task);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof Confinement.OutsideRootException outside) {
                throw allowed.refused(settings.modelPath(), LinnetOptions.MODEL_PATH.key(), true, outside.getMessage());
            }
            throw e;
        }
        int vocab = lease.model().config().vocabSize();
        if (tokenizer.idBound() > vocab) {
            lease.close();
            throw new IllegalArgumentException("the tokenizer " + tokenizerFile + " makes token ids up to "
                    + (tokenizer.idBound() - 1) + ", outside the vocabulary of " + settings.describeModel() + " ("
                    + vocab + " ids): they do not belong together");
        }
        return new ScoringModel(lease, new SpanTokenizer(tokenizer));
    }

    Model model() {
        return model;
    }

    TextTokens tokenize(String text) {
        return tokenizer.encode(text);
    }

    @Override
    public void close() {
        lease.close();
    }
}
