package dev.linnet.engine.model;

import dev.linnet.engine.io.Checkpoint;
import dev.linnet.engine.io.DType;
import java.io.IOException;

/** Where a model's tensors come from: a checkpoint on disk, or seeded random numbers for benchmarks. */
interface WeightSource {
    /** Names the source in messages. */
    String describe();

    /** Names the file holding a tensor in messages (the source itself when it has no files). */
    default String describe(String tensor) {
        return describe();
    }

    boolean has(String name);

    DType dtype(String name) throws IOException;

    float[] readFloats(String name, long... shape) throws IOException;

    short[] readBits16(String name, long... shape) throws IOException;

    static WeightSource of(Checkpoint ck) {
        return new WeightSource() {
            @Override
            public String describe() {
                return ck.dir().toString();
            }

            @Override
            public String describe(String tensor) {
                try {
                    return ck.info(tensor).file().toString();
                } catch (IOException e) {
                    return describe();
                }
            }

            @Override
            public boolean has(String name) {
                return ck.has(name);
            }

            @Override
            public DType dtype(String name) throws IOException {
                return ck.info(name).dtype();
            }

            @Override
            public float[] readFloats(String name, long... shape) throws IOException {
                return ck.readFloats(name, shape);
            }

            @Override
            public short[] readBits16(String name, long... shape) throws IOException {
                return ck.readBits16(name, shape);
            }
        };
    }
}
