package dev.linnet.engine.kernels;

import java.util.concurrent.CyclicBarrier;

/**
 * The machine's FP32 fused multiply-add peak, measured: a register-only loop of 512-bit FMAs (12 independent
 * accumulators, enough to cover a 4-cycle FMA latency on two pipes) on the given number of threads at once.
 * No memory traffic: an upper bound for any kernel. Needs the Vector API (loaded by name, like the vector kernels);
 * without it {@link #measure} returns NaN.
 */
public final class PeakFlops {
    /** FLOPs of one {@link VectorPeak#block} call: iterations x accumulators x 16 lanes x 2. */
    static final long FLOPS_PER_BLOCK =
            (long) VectorPeakConstants.ITERATIONS * VectorPeakConstants.ACCUMULATORS * 16 * 2;

    private PeakFlops() {}

    /**
     * GFLOP/s of `threads` threads running the loop together, the best of `repeats` timed rounds of `millis`
     * each (after one untimed round that gets the loop compiled).
     */
    public static double measure(int threads, int repeats, long millis) {
        if (!ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            return Double.NaN;
        }
        try {
            Class<?> c = Class.forName("dev.linnet.engine.kernels.VectorPeak");
            java.lang.reflect.Method blocks = c.getDeclaredMethod("blocks", long.class);
            blocks.setAccessible(true);
            round(blocks, threads, millis);
            double best = 0;
            for (int r = 0; r < repeats; r++) best = Math.max(best, round(blocks, threads, millis));
            return best;
        } catch (ReflectiveOperationException | LinkageError e) {
            return Double.NaN;
        }
    }

    /** One timed round: each thread runs blocks for about millis; the rate of all of them together. */
    private static double round(java.lang.reflect.Method blocks, int threads, long millis)
            throws ReflectiveOperationException {
        CyclicBarrier start = new CyclicBarrier(threads);
        long[] count = new long[threads];
        long[] nanos = new long[threads];
        Thread[] ts = new Thread[threads];
        Throwable[] failure = new Throwable[1];
        for (int i = 0; i < threads; i++) {
            int id = i;
            ts[i] = new Thread(
                    () -> {
                        try {
                            start.await();
                            long t0 = System.nanoTime();
                            long until = t0 + millis * 1_000_000L;
                            long n = 0;
                            do {
                                n += (long) blocks.invoke(null, 64L);
                            } while (System.nanoTime() < until);
                            nanos[id] = System.nanoTime() - t0;
                            count[id] = n;
                        } catch (Throwable t) {
                            failure[0] = t;
                        }
                    },
                    "linnet-peak-" + i);
            ts[i].start();
        }
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Double.NaN;
            }
        }
        if (failure[0] != null) {
            throw new IllegalStateException("peak loop failed", failure[0]);
        }
        double rate = 0;
        for (int i = 0; i < threads; i++) rate += (double) count[i] * FLOPS_PER_BLOCK / nanos[i];
        return rate;
    }
}
