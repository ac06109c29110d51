package dev.linnet.engine.layers;

/** Element-wise functions; per element in double and rounded once, so the result never depends on batching. */
public final class Activations {
    private Activations() {}

    public static float silu(float x) {
        return (float) (x / (1.0 + Math.exp(-x)));
    }

    public static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    public static void siluInPlace(float[] x, int off, int len) {
        for (int i = off; i < off + len; i++) x[i] = silu(x[i]);
    }
}
