package dev.linnet.engine.cli;

import dev.linnet.engine.kernels.Kernels;
import dev.linnet.engine.kernels.Matrix;
import java.util.SplittableRandom;

/**
 * One fixed matrix product through the kernels (a 1536 x 512 float32 projection of 516 tokens, the benchmark
 * model's largest lightning product), timed just before and just after each benchmark run: how fast this machine
 * multiplies during it. A shared VM's speed drifts with its neighbours' load, which a register-only FMA loop barely sees;
 * the model's run divided by this product's speed is the engine's own share, steady where the machine is not.
 */
final class ReferenceProduct {
    private static final int ROWS = 1536, COLS = 512, TOKENS = 516;
    private final Kernels kernels;
    private final Matrix w;
    private final float[] x = new float[TOKENS * COLS];
    private final float[] out = new float[TOKENS * ROWS];

    ReferenceProduct(Kernels kernels) {
        this.kernels = kernels;
        SplittableRandom rnd = new SplittableRandom(11);
        float[] data = new float[ROWS * COLS];
        for (int i = 0; i < data.length; i++) data[i] = (float) (rnd.nextDouble() - 0.5);
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() - 0.5);
        w = Matrix.ofFloats(ROWS, COLS, data);
        kernels.prepare(w);
    }

    /** GFLOP/s of the product, repeated for about the given seconds (at least 3 times). */
    double gflops(double seconds) {
        long t0 = System.nanoTime();
        long calls = 0;
        while (calls < 3 || System.nanoTime() - t0 < seconds * 1e9) {
            kernels.matmul(x, TOKENS, w, out);
            calls++;
        }
        return 2.0 * TOKENS * ROWS * COLS * calls / (System.nanoTime() - t0);
    }
}
