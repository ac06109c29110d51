package dev.linnet.engine.kernels;

/** Shape of the peak loop (kept apart from {@link VectorPeak} so that reading it never links the Vector API). */
final class VectorPeakConstants {
    static final int ITERATIONS = 4096;
    static final int ACCUMULATORS = 12;

    private VectorPeakConstants() {}
}
