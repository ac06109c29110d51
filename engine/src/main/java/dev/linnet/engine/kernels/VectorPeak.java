package dev.linnet.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The register-only FMA loop of {@link PeakFlops}: small static methods, as the Vector API needs to run at speed. */
final class VectorPeak {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static volatile float sink;

    private VectorPeak() {}

    /** Runs n blocks; returns n (the result of the arithmetic goes to a sink so that it is not dropped). */
    static long blocks(long n) {
        float s = 0;
        for (long i = 0; i < n; i++) s += block(0.999f + i * 1e-9f);
        sink = s;
        return n;
    }

    /** {@link VectorPeakConstants#ITERATIONS} rounds of 12 independent 16-lane FMAs, all in registers. */
    static float block(float m) {
        FloatVector mul = FloatVector.broadcast(F, m);
        FloatVector add = FloatVector.broadcast(F, 1e-3f);
        FloatVector a0 = FloatVector.broadcast(F, 0.1f),
                a1 = FloatVector.broadcast(F, 0.2f),
                a2 = FloatVector.broadcast(F, 0.3f);
        FloatVector a3 = FloatVector.broadcast(F, 0.4f),
                a4 = FloatVector.broadcast(F, 0.5f),
                a5 = FloatVector.broadcast(F, 0.6f);
        FloatVector a6 = FloatVector.broadcast(F, 0.7f),
                a7 = FloatVector.broadcast(F, 0.8f),
                a8 = FloatVector.broadcast(F, 0.9f);
        FloatVector a9 = FloatVector.broadcast(F, 1.0f),
                a10 = FloatVector.broadcast(F, 1.1f),
                a11 = FloatVector.broadcast(F, 1.2f);
        for (int i = 0; i < VectorPeakConstants.ITERATIONS; i++) {
            a0 = a0.fma(mul, add);
            a1 = a1.fma(mul, add);
            a2 = a2.fma(mul, add);
            a3 = a3.fma(mul, add);
            a4 = a4.fma(mul, add);
            a5 = a5.fma(mul, add);
            a6 = a6.fma(mul, add);
            a7 = a7.fma(mul, add);
            a8 = a8.fma(mul, add);
            a9 = a9.fma(mul, add);
            a10 = a10.fma(mul, add);
            a11 = a11.fma(mul, add);
        }
        return a0.add(a1)
                .add(a2)
                .add(a3)
                .add(a4)
                .add(a5)
                .add(a6)
                .add(a7)
                .add(a8)
                .add(a9)
                .add(a10)
                .add(a11)
                .lane(0);
    }
}
