package dev.linnet.engine.model;

import java.nio.file.Path;

/**
 * How to load a checkpoint.
 *
 * @param windowBound  the window of the softmax layers when config.json has no {@code sliding_window}: they then
 *                     see only the last windowBound tokens, which differs from the unbounded model past that many
 *                     tokens (a fixed-size state needs a bound). Ignored when the config sets a window.
 * @param weights      the precision weights are kept in, in memory
 * @param confinedTo   null (the default) to open files where their links lead, as a HuggingFace cache needs (its
 *                     model files link to ../../blobs); else a directory every file the load opens (the model
 *                     directory, config.json, the shard index, each .safetensors file) must have its real path
 *                     under, the real path of this directory: a file that resolves elsewhere is refused with a
 *                     {@link dev.linnet.engine.io.Confinement.OutsideRootException} naming the file as given
 */
public record LoadOptions(int windowBound, WeightPrecision weights, Path confinedTo) {
    /** The bound used when neither the config nor the caller gives a window. */
    public static final int DEFAULT_WINDOW_BOUND = 4096;

    public static final LoadOptions DEFAULT = new LoadOptions(DEFAULT_WINDOW_BOUND, WeightPrecision.AS_STORED, null);

    public LoadOptions {
        if (windowBound <= 0) throw new IllegalArgumentException("window bound must be positive, got " + windowBound);
        if (confinedTo != null) {
            if (!confinedTo.isAbsolute()) {
                throw new IllegalArgumentException("the confinement root must be an absolute path, got " + confinedTo);
            }
            // one spelling per directory, so equal options (a shared-model cache key) mean equal confinement
            confinedTo = confinedTo.normalize();
        }
    }

    public LoadOptions(int windowBound, WeightPrecision weights) {
        this(windowBound, weights, null);
    }

    public LoadOptions withWindowBound(int w) {
        return new LoadOptions(w, weights, confinedTo);
    }

    public LoadOptions withWeights(WeightPrecision p) {
        return new LoadOptions(windowBound, p, confinedTo);
    }

    /** These options, confined to {@code root} (an absolute path); null lifts the confinement. */
    public LoadOptions withConfinedTo(Path root) {
        return new LoadOptions(windowBound, weights, root);
    }

    /** In-memory precision of the weight matrices (norm weights are always float32). */
    public enum WeightPrecision {
        /** F32 stays float32, BF16/F16 stay 16-bit and are widened in the kernels. */
        AS_STORED,
        /** Everything widened to float32. */
        F32,
        /** Everything rounded to bfloat16 (halves memory and the bytes a single-token step reads). */
        BF16
    }
}
