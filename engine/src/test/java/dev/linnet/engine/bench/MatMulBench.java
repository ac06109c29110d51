package dev.linnet.engine.bench;

import dev.linnet.engine.kernels.Bits16;
import dev.linnet.engine.kernels.Kernels;
import dev.linnet.engine.kernels.Matrix;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * matmul at the shapes of the benchmark model (hidden 512), for 1, 64 and 512 tokens, float32 and
 * bfloat16 weights. The secondary result {@code matmul:gflops} is the rate in GFLOP/s (2 n rows cols
 * per call). All cores are used unless the fork is given {@code -Dlinnet.threads=1}, e.g.
 * {@code -Djmh.args="MatMulBench -jvmArgsAppend -Dlinnet.threads=1"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatMulBench {

    /** Weight shapes as rows x cols: out = x * W^T. */
    @Param({"qkv_1536x512", "out_512x512", "w13_1024x512", "w2_512x1024", "lmhead_8192x512"})
    public String shape;

    @Param({"1", "64", "512"})
    public int n;

    @Param({"F32", "BF16"})
    public String storage;

    private Kernels kernels;
    private Matrix w;
    private float[] x;
    private float[] out;
    private double gflopPerCall;

    /** JMH reports this counter as a rate: GFLOP/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rate {
        public double gflops;

        @Setup(Level.Iteration)
        public void reset() {
            gflops = 0;
        }
    }

    @Setup
    public void setUp() {
        String[] dims = shape.substring(shape.indexOf('_') + 1).split("x");
        int rows = Integer.parseInt(dims[0]);
        int cols = Integer.parseInt(dims[1]);
        Random rnd = new Random(1);
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) values[i] = (float) (rnd.nextGaussian() * 0.05);
        if (storage.equals("F32")) {
            w = Matrix.ofFloats(rows, cols, values);
        } else {
            short[] bits = new short[values.length];
            for (int i = 0; i < bits.length; i++) bits[i] = Bits16.floatToBf16(values[i]);
            w = Matrix.ofBf16(rows, cols, bits);
        }
        x = new float[n * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        out = new float[n * rows];
        gflopPerCall = 2.0 * n * rows * cols / 1e9;
        kernels = Kernels.get();
        if (!kernels.name().startsWith("vector")) {
            System.err.println("MatMulBench: measuring the " + kernels.name() + " kernels");
        }
    }

    @Benchmark
    public float[] matmul(Rate rate) {
        kernels.matmul(x, n, w, out);
        rate.gflops += gflopPerCall;
        return out;
    }
}
