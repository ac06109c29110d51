package dev.linnet.engine.layers.lightning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.kernels.Kernels;
import dev.linnet.engine.kernels.ScalarKernels;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Holds the three forms of lightning attention together: naive (float64 definition), recurrent and
 * block-wise agree on every output and on the final state, from a zero state and from a random one, for
 * block sizes that do and do not divide the sequence, and for a sequence cut into chunks.
 */
class LightningFormsTest {
    static final double TOLERANCE = 1e-4; // relative RMS, float32 forms against the float64 definition

    @ParameterizedTest(name = "heads={0} d={1} n={2} block={3} randomState={4}")
    @CsvSource({
        "4, 16, 1, 16, false",
        "4, 16, 37, 16, false",
        "4, 16, 37, 16, true",
        "2, 8, 100, 7, true",
        "8, 32, 130, 64, true",
        "3, 16, 64, 64, true",
        "1, 64, 200, 256, true",
    })
    void formsAgree(int heads, int d, int n, int block, boolean randomState) {
        SplittableRandom rnd = new SplittableRandom(heads * 1000L + d * 10L + n);
        int stride = 3 * heads * d;
        float[] qkv = new float[n * stride];
        for (int i = 0; i < qkv.length; i++) qkv[i] = (float) (rnd.nextGaussian() * 0.5);
        float[] s0 = new float[heads * d * d];
        if (randomState) for (int i = 0; i < s0.length; i++) s0[i] = (float) rnd.nextGaussian();

        double[] slopes = LightningForm.slopes(heads, 2, 8);
        Kernels k = Kernels.get();
        LightningForm[] forms = {
            new LightningNaive(d, slopes),
            new LightningRecurrent(k, d, slopes),
            new LightningBlockwise(k, d, block, slopes),
            new LightningBlockwise(new ScalarKernels(), d, block, slopes),
        };
        float[][] outs = new float[forms.length][];
        float[][] states = new float[forms.length][];
        for (int f = 0; f < forms.length; f++) {
            float[] state = s0.clone();
            float[] out = new float[n * heads * d];
            for (int h = 0; h < heads; h++) {
                int hb = h * 3 * d;
                forms[f].attend(h, qkv, hb, hb + d, hb + 2 * d, stride, n, state, h * d * d, out, h * d, heads * d);
            }
            outs[f] = out;
            states[f] = state;
        }
        for (int f = 1; f < forms.length; f++) {
            assertClose(outs[0], outs[f], "output of " + forms[f].getClass().getSimpleName());
            assertClose(states[0], states[f], "state of " + forms[f].getClass().getSimpleName());
        }

        // the block-wise form over the sequence cut into chunks of 7, resuming its own state, agrees too
        LightningForm bw = forms[2];
        float[] state = s0.clone();
        float[] out = new float[n * heads * d];
        for (int c0 = 0; c0 < n; c0 += 7) {
            int c = Math.min(7, n - c0);
            for (int h = 0; h < heads; h++) {
                int hb = c0 * stride + h * 3 * d;
                bw.attend(
                        h,
                        qkv,
                        hb,
                        hb + d,
                        hb + 2 * d,
                        stride,
                        c,
                        state,
                        h * d * d,
                        out,
                        c0 * heads * d + h * d,
                        heads * d);
            }
        }
        assertClose(outs[0], out, "chunked block-wise output");
        assertClose(states[0], state, "chunked block-wise state");
    }

    static void assertClose(float[] ref, float[] got, String what) {
        double num = 0, den = 0;
        for (int i = 0; i < ref.length; i++) {
            double e = (double) got[i] - ref[i];
            num += e * e;
            den += (double) ref[i] * ref[i];
        }
        double rel = Math.sqrt(num / Math.max(den, 1e-30));
        assertTrue(rel <= TOLERANCE, what + ": relative RMS error " + rel + " > " + TOLERANCE);
    }
}
