package dev.linnet.flink.sql;

import dev.linnet.engine.model.DefaultModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The default model shipped inside the jar (the engine's {@link DefaultModel} resources),
 * copied to a temporary directory once per class loader, so every function instance of a job in this JVM
 * loads the same directory and {@link dev.linnet.flink.operator.SharedModels} shares one copy of its weights.
 */
final class BundledModel {

    private static Path extracted;

    private BundledModel() {}

    /** Whether this build carries a default model. */
    static boolean present() {
        return DefaultModel.present(loader());
    }

    /**
     * The directory of the bundled model.
     *
     * @throws IllegalStateException when the jar has none, naming the options that give a model
     */
    static synchronized Path directory() {
        if (extracted == null) {
            if (!present()) {
                throw new IllegalStateException("no model: neither linnet.model.path (SET 'linnet.model.path' = "
                        + "'/dir/of/checkpoint', or the function's model_path argument, or the CREATE MODEL option "
                        + "'model.path') names one, and this build bundles no default model (" + DefaultModel.RESOURCE
                        + ")");
            }
            try {
                extracted = DefaultModel.extract(loader());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot unpack the bundled default model: " + e.getMessage(), e);
            }
        }
        return extracted;
    }

    private static ClassLoader loader() {
        return BundledModel.class.getClassLoader();
    }
}
