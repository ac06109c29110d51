package dev.linnet.engine.config;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for config.json: any bytes are either a config within every bound (arrays that fit, a per-stream
 * state within {@link ModelConfig#MAX_STATE_BYTES}) or refused with a {@link ConfigException} naming the file.
 * A plain test run replays src/test/resources/dev/linnet/engine/config/ConfigFuzzTestInputs.
 */
class ConfigFuzzTest {
    private static final String SOURCE = "fuzz/config.json";

    @FuzzTest(maxDuration = "60s")
    void configJson(byte[] input) {
        ModelConfig cfg;
        try {
            cfg = ConfigParser.parse(SOURCE, input);
        } catch (ConfigException e) {
            check(
                    e.getMessage() != null && e.getMessage().startsWith(SOURCE),
                    "message without the file: " + e.getMessage());
            return;
        }
        check(cfg.layerTypes().size() == cfg.numHiddenLayers(), "layer types");
        check(cfg.numAttentionHeads() % cfg.numKeyValueHeads() == 0, "kv heads");
        check(cfg.rotaryDim() >= 2 && cfg.rotaryDim() <= cfg.headDim() && cfg.rotaryDim() % 2 == 0, "rotary dim");
        check(Double.isFinite(cfg.ropeTheta()) && cfg.ropeTheta() > 1, "rope theta");
        check(cfg.rmsNormEps() > 0 && cfg.rmsNormEps() < 1, "eps");
        check((long) cfg.vocabSize() * cfg.hiddenSize() <= Integer.MAX_VALUE - 8, "embedding fits an array");
        if (cfg.slidingWindow() > 0) {
            check(cfg.stateBytes(cfg.slidingWindow()) <= ModelConfig.MAX_STATE_BYTES, "state bound");
        }
        check(!cfg.canonical().isEmpty(), "canonical form");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
