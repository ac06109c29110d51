package dev.linnet.engine.model;

import dev.linnet.engine.io.DType;
import dev.linnet.engine.kernels.Bits16;
import java.util.SplittableRandom;

/**
 * Seeded random weights of any shape, for benchmarks on models of realistic size that nobody trained:
 * matrices ~ N(0, 1/cols) (so activations keep their scale through the layers), norms ~ 1 + N(0, 0.1).
 * Each tensor's numbers depend only on the seed and its name, so the same call gives the same model.
 */
final class RandomWeights implements WeightSource {
    private final long seed;
    private final DType dtype;

    RandomWeights(long seed, DType dtype) {
        if (dtype != DType.F32 && dtype != DType.BF16)
            throw new IllegalArgumentException("random weights are F32 or BF16");
        this.seed = seed;
        this.dtype = dtype;
    }

    @Override
    public String describe() {
        return "random weights (seed " + seed + ")";
    }

    @Override
    public boolean has(String name) {
        // the per-expert layout; tied embeddings get no separate head
        return !name.contains("mlp.gate") && !name.contains("mlp.experts");
    }

    @Override
    public DType dtype(String name) {
        return name.endsWith("norm.weight") ? DType.F32 : dtype;
    }

    @Override
    public float[] readFloats(String name, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        SplittableRandom r = new SplittableRandom(seed ^ name.hashCode() * 0x9E3779B97F4A7C15L);
        float[] a = new float[Math.toIntExact(n)];
        if (name.endsWith("norm.weight")) {
            for (int i = 0; i < a.length; i++) a[i] = (float) (1 + 0.1 * r.nextGaussian());
        } else {
            double scale = 1 / Math.sqrt(shape[shape.length - 1]);
            for (int i = 0; i < a.length; i++) a[i] = (float) (scale * r.nextGaussian());
        }
        return a;
    }

    @Override
    public short[] readBits16(String name, long... shape) {
        float[] f = readFloats(name, shape);
        short[] b = new short[f.length];
        for (int i = 0; i < f.length; i++) b[i] = Bits16.floatToBf16(f[i]);
        return b;
    }
}
