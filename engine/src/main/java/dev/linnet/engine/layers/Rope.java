package dev.linnet.engine.layers;

/**
 * Rotary position embedding, NeoX style: within the first {@code rotaryDim} dimensions of a head, dimension i
 * is paired with i + rotaryDim/2 and the pair is rotated by pos * theta^(-2i/rotaryDim). Dimensions past
 * rotaryDim pass unchanged (partial rotation, as the original release and llama.cpp do).
 * Angles are computed in double from the absolute position, so position 10^6 is as exact as position 10.
 */
public final class Rope {
    private final int headDim;
    private final int rotaryDim;
    private final double[] invFreq;

    public Rope(int headDim, int rotaryDim, double theta) {
        if (rotaryDim % 2 != 0 || rotaryDim > headDim) {
            throw new IllegalArgumentException(
                    "rotary dim " + rotaryDim + " must be even and at most head dim " + headDim);
        }
        this.headDim = headDim;
        this.rotaryDim = rotaryDim;
        int half = rotaryDim / 2;
        invFreq = new double[half];
        for (int i = 0; i < half; i++) {
            invFreq[i] = 1.0 / Math.pow(theta, (2.0 * i) / rotaryDim);
        }
    }

    /** cos and sin tables for one position: cs[2i] = cos, cs[2i+1] = sin. */
    public void angles(long pos, float[] cs) {
        for (int i = 0; i < invFreq.length; i++) {
            double a = pos * invFreq[i];
            cs[2 * i] = (float) Math.cos(a);
            cs[2 * i + 1] = (float) Math.sin(a);
        }
    }

    public int tableSize() {
        return rotaryDim;
    }

    /** Rotates {@code heads} consecutive heads starting at x[off] with one position's table. */
    public void rotate(float[] x, int off, int heads, float[] cs) {
        int half = rotaryDim / 2;
        for (int h = 0; h < heads; h++) {
            int base = off + h * headDim;
            for (int i = 0; i < half; i++) {
                float c = cs[2 * i];
                float s = cs[2 * i + 1];
                float x1 = x[base + i];
                float x2 = x[base + i + half];
                x[base + i] = x1 * c - x2 * s;
                x[base + i + half] = x2 * c + x1 * s;
            }
        }
    }
}
