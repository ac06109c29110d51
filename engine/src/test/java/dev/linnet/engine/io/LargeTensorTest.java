package dev.linnet.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensors too large for a Java array, and a bulk read of a 50 MB one. */
class LargeTensorTest {
    @TempDir
    Path tmp;

    /**
     * A valid file whose one tensor has 2^31 elements (4 GiB of F16): written sparse, so it costs no disk.
     * Every typed read must refuse it with a message, not fail in {@code new float[...]}.
     */
    @Test
    void tensorBeyondJavaArrayLimitIsRefused() throws Exception {
        long n = 1L << 31;
        String h = "{\"big\": {\"dtype\": \"F16\", \"shape\": [2, " + (n / 2) + "], \"data_offsets\": [0, " + (2 * n)
                + "]}}";
        byte[] head = SafetensorsBytes.file(h, new byte[0]);
        Path f = tmp.resolve("big.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(head);
            raf.setLength(head.length + 2 * n);
        } catch (IOException e) {
            Assumptions.abort("cannot make a 4 GiB sparse file here: " + e);
        }
        try (Checkpoint ck = Checkpoint.open(f)) {
            assertEquals(n, ck.info("big").elementCount());
            for (Executable read : new Executable[] {
                () -> ck.readFloats("big"), () -> ck.readBits16("big"), () -> ck.readDoubles("big")
            }) {
                CheckpointFormatException e = assertThrows(CheckpointFormatException.class, read::run);
                String m = e.getMessage();
                assertTrue(
                        m.contains(f.toString())
                                && m.contains("'big'")
                                && m.contains("2147483648")
                                && m.contains("Java array"),
                        m);
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    interface Executable {
        void run() throws Throwable;
    }

    /** 50 MB of F32 comes back intact; prints the rate (a bulk copy runs at hundreds of MB/s or more). */
    @Test
    void fiftyMegabyteF32Tensor() throws Exception {
        int n = 50 * 1024 * 1024 / 4;
        float[] v = new float[n];
        Random r = new Random(7);
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        Path f = new SafetensorsBytes().f32("w", new long[] {n / 1024, 1024}, v).write(tmp.resolve("w.safetensors"));
        try (Checkpoint ck = Checkpoint.open(f)) {
            ck.readFloats("w"); // warm-up
            long t0 = System.nanoTime();
            float[] got = ck.readFloats("w", n / 1024, 1024);
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (int i = 0; i < n; i++) {
                if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(v[i])) {
                    assertEquals(v[i], got[i], 0f, "element " + i);
                }
            }
            System.out.printf("readFloats of 50 MB F32: %.1f ms, %.0f MB/s%n", seconds * 1e3, 50 / seconds);
        }
    }
}
