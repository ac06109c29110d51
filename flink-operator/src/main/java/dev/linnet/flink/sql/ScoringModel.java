package dev.linnet.flink.sql;

import dev.linnet.engine.model.LoadOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.tokenizer.Tokenizer;
import dev.linnet.flink.operator.SharedModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
     * {@code context}.
     *
     * @throws IllegalArgumentException naming the file or option when the tokenizer is missing or does not fit
     */
    static ScoringModel open(SqlSettings settings, FunctionContext context, String function) {
        RuntimeContext task = TaskOfFunction.runtimeContext(context, function);
        Path dir = settings.modelPath() == null ? BundledModel.directory() : Path.of(settings.modelPath());
        Path tokenizerFile =
                settings.tokenizerPath() == null ? dir.resolve("tokenizer.json") : Path.of(settings.tokenizerPath());
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new IllegalArgumentException("no tokenizer for " + settings.describeModel() + ": " + tokenizerFile
                    + " does not exist on this machine (set " + LinnetSqlOptions.TOKENIZER_PATH.key()
                    + " to the model's tokenizer.json)");
        }
        Tokenizer tokenizer;
        try {
            tokenizer = Tokenizer.load(tokenizerFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer " + tokenizerFile + ": " + e.getMessage(), e);
        }
        SharedModels.Lease lease =
                SharedModels.acquire(dir, LoadOptions.DEFAULT.withWindowBound(settings.windowBound()), task);
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
