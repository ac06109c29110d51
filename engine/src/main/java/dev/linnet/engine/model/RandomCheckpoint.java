package dev.linnet.engine.model;

import dev.linnet.engine.config.ConfigParser;
import dev.linnet.engine.config.ModelConfig;
import dev.linnet.engine.io.DType;
import dev.linnet.engine.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checkpoint directory of seeded random weights, written to disk: config.json as given, and a
 * model.safetensors holding exactly the weights {@link Model#random} makes for that config and seed (so both
 * have the same fingerprint). For pipelines and tests that need a model on disk that nobody trained; its
 * scores mean nothing.
 */
public final class RandomCheckpoint {
    private RandomCheckpoint() {}

    /**
     * Writes {@code configJson} (a MiniMax config.json) and its random weights into {@code dir} (created if
     * needed): matrices in {@code dtype} (F32 or BF16), norms in F32, the per-expert layout.
     *
     * @return dir
     */
    public static Path write(Path dir, String configJson, long seed, DType dtype) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve("config.json");
        Files.writeString(config, configJson);
        ModelConfig cfg = ConfigParser.read(config);
        SafetensorsWriter out = new SafetensorsWriter();
        // the loader asks for every tensor the config needs, in its shape: write what it is given
        WeightSource random = new RandomWeights(seed, dtype);
        ModelLoader.build(
                new WeightSource() {
                    @Override
                    public String describe() {
                        return random.describe();
                    }

                    @Override
                    public boolean has(String name) {
                        return random.has(name);
                    }

                    @Override
                    public DType dtype(String name) throws IOException {
                        return random.dtype(name);
                    }

                    @Override
                    public float[] readFloats(String name, long... shape) throws IOException {
                        float[] values = random.readFloats(name, shape);
                        out.putFloats(name, shape, values);
                        return values;
                    }

                    @Override
                    public short[] readBits16(String name, long... shape) throws IOException {
                        short[] bits = random.readBits16(name, shape);
                        out.putBits16(name, random.dtype(name), shape, bits);
                        return bits;
                    }
                },
                cfg,
                LoadOptions.DEFAULT.withWeights(LoadOptions.WeightPrecision.AS_STORED));
        return out.writeCheckpoint(dir, configJson);
    }
}
