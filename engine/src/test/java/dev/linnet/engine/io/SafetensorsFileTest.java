package dev.linnet.engine.io;

import static dev.linnet.engine.io.SafetensorsBytes.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.kernels.Bits16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Well-formed files: what goes in comes out, in every dtype and conversion the reader offers. */
class SafetensorsFileTest {
    @TempDir
    Path tmp;

    @Test
    void headerMetadataNamesAndInfo() throws Exception {
        Path f = new SafetensorsBytes()
                .metadata("format", "pt")
                .f32("b", shape(2, 3), 1, 2, 3, 4, 5, 6)
                .f32("a", shape(), 7)
                .write(tmp.resolve("x.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertEquals(List.of("a", "b"), List.copyOf(st.names()), "names sorted");
            TensorInfo b = st.info("b");
            assertEquals(DType.F32, b.dtype());
            assertArrayEquals(new long[] {2, 3}, b.shape());
            assertEquals(6, b.elementCount());
            assertEquals(24, b.byteLength());
            assertEquals(f, b.file());
            // absolute positions: the first tensor's data starts right after length field and header
            long headerLength = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .getLong();
            assertEquals(8 + headerLength, b.dataBegin());
            assertEquals(0, st.info("a").rank());
            assertEquals(1, st.info("a").elementCount(), "a scalar has one element");
            assertArrayEquals(new float[] {7}, st.readFloats("a"));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, st.readFloats("b", 2, 3));
            assertTrue(st.has("a"));
            assertFalse(st.has("c"));
        }
    }

    @Test
    void noMetadataGivesEmptyMap() throws Exception {
        Path f = new SafetensorsBytes().f32("w", shape(1), 1).write(tmp.resolve("x.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertTrue(st.metadata().isEmpty());
        }
    }

    @Test
    void bf16RoundTripThroughFile() throws Exception {
        float[] values = {
            0f, -0f, 1f, -2.5f, 3.140625f, 1e-3f, -65504f, 1e30f, Float.POSITIVE_INFINITY, Float.MIN_NORMAL
        };
        short[] bits = new short[values.length];
        for (int i = 0; i < values.length; i++) bits[i] = Bits16.floatToBf16(values[i]);
        Path f = new SafetensorsBytes().bits16("w", "BF16", shape(2, 5), bits).write(tmp.resolve("x.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertArrayEquals(bits, st.readBits16("w", 2, 5), "raw bits come back unchanged");
            float[] widened = st.readFloats("w", 2, 5);
            for (int i = 0; i < values.length; i++) {
                assertEquals(Bits16.bf16ToFloat(bits[i]), widened[i], 0f, "element " + i);
                // bf16 keeps 8 significant bits: within a relative 2^-8 of the original
                assertEquals(values[i], widened[i], Math.abs(values[i]) / 256, "element " + i);
            }
            double[] d = st.readDoubles("w");
            for (int i = 0; i < values.length; i++) assertEquals(widened[i], d[i], 0.0);
        }
    }

    @Test
    void f16RoundTripThroughFile() throws Exception {
        // IEEE half bit patterns and their exact values
        short[] bits = {
            0x0000,
            (short) 0x8000,
            0x3c00,
            (short) 0xc000,
            0x3800,
            0x7bff,
            0x0001,
            0x0400,
            0x7c00,
            (short) 0xfc00,
            0x3555
        };
        float[] exact = {
            0f,
            -0f,
            1f,
            -2f,
            0.5f,
            65504f,
            0x1p-24f,
            0x1p-14f,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            0.333251953125f
        };
        Path f = new SafetensorsBytes().bits16("h", "F16", shape(11), bits).write(tmp.resolve("x.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertArrayEquals(bits, st.readBits16("h"));
            float[] got = st.readFloats("h", 11);
            for (int i = 0; i < bits.length; i++) {
                assertEquals(
                        Float.floatToRawIntBits(exact[i]),
                        Float.floatToRawIntBits(got[i]),
                        "element " + i + " = " + got[i]);
            }
            double[] d = st.readDoubles("h", 11);
            for (int i = 0; i < bits.length; i++) assertEquals(exact[i], d[i], 0.0);
        }
    }

    @Test
    void f32AndF64Conversions() throws Exception {
        float[] f = {1.5f, -0.1f, Float.MAX_VALUE, Float.MIN_VALUE, Float.NaN};
        double[] d = {0.1, -1e300, 1e-300, Math.PI};
        Path p = new SafetensorsBytes()
                .f32("f", shape(5), f)
                .f64("d", shape(2, 2), d)
                .write(tmp.resolve("x.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(p)) {
            assertArrayEquals(f, st.readFloats("f"));
            double[] fd = st.readDoubles("f");
            for (int i = 0; i < f.length; i++) assertEquals((double) f[i], fd[i], 0.0);
            assertArrayEquals(d, st.readDoubles("d", 2, 2), 0.0);
            float[] df = st.readFloats("d", 2, 2);
            for (int i = 0; i < d.length; i++)
                assertEquals((float) d[i], df[i], 0f, "F64 narrowed to the nearest float");
        }
    }

    @Test
    void integerDtypesAsLongs() throws Exception {
        Path p = new SafetensorsBytes()
                .i64("i64", shape(3), Long.MIN_VALUE, -1, Long.MAX_VALUE)
                .i32("i32", shape(3), Integer.MIN_VALUE, -7, Integer.MAX_VALUE)
                .tensor("i16", "I16", shape(2), new byte[] {(byte) 0xff, (byte) 0xff, 0x34, 0x12})
                .tensor("i8", "I8", shape(2), new byte[] {(byte) 0x80, 0x7f})
                .tensor("u8", "U8", shape(2), new byte[] {(byte) 0xff, 0x01})
                .tensor("bool", "BOOL", shape(3), new byte[] {1, 0, 1})
                .write(tmp.resolve("x.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(p)) {
            assertArrayEquals(new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}, st.readLongs("i64", 3));
            assertArrayEquals(new long[] {Integer.MIN_VALUE, -7, Integer.MAX_VALUE}, st.readLongs("i32"));
            assertArrayEquals(new long[] {-1, 0x1234}, st.readLongs("i16"));
            assertArrayEquals(new long[] {-128, 127}, st.readLongs("i8"));
            assertArrayEquals(new long[] {255, 1}, st.readLongs("u8"), "U8 is unsigned");
            assertArrayEquals(new long[] {1, 0, 1}, st.readLongs("bool"));
        }
    }

    @Test
    void zeroElementTensorsAndEmptyFile() throws Exception {
        Path p = new SafetensorsBytes()
                .f32("empty", shape(0, 4))
                .f32("one", shape(1), 9f)
                .f32("empty2", shape(3, 0))
                .write(tmp.resolve("x.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(p)) {
            assertEquals(0, st.readFloats("empty", 0, 4).length);
            assertEquals(0, st.readFloats("empty2").length);
            assertArrayEquals(new float[] {9f}, st.readFloats("one"));
        }
        Path none = new SafetensorsBytes().write(tmp.resolve("none.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(none)) {
            assertTrue(st.names().isEmpty());
        }
    }

    @Test
    void wildcardDimensionsInExpectedShape() throws Exception {
        Path p = new SafetensorsBytes().f32("w", shape(2, 3), new float[6]).write(tmp.resolve("x.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(p)) {
            assertEquals(6, st.readFloats("w", -1, 3).length);
            assertEquals(6, st.readFloats("w", 2, -1).length);
            assertEquals(6, st.readFloats("w", (long[]) null).length);
            CheckpointFormatException e =
                    assertThrows(CheckpointFormatException.class, () -> st.readFloats("w", -1, 4));
            assertTrue(e.getMessage().contains("[*, 4]"), e.getMessage());
        }
    }

    @Test
    void tensorLargerThanOneChunkIsReadWhole() throws Exception {
        // 3 chunks and a bit, so the chunk loop's positions and element offsets are exercised
        int n = SafetensorsFile.CHUNK_BYTES / 4 * 3 + 1001;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i * 0.5f - 7;
        short[] h = new short[SafetensorsFile.CHUNK_BYTES / 2 + 3];
        for (int i = 0; i < h.length; i++) h[i] = Bits16.floatToBf16(i % 256);
        Path p = new SafetensorsBytes()
                .f32("big", shape(n), v)
                .bits16("h", "BF16", shape(h.length), h)
                .write(tmp.resolve("x.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(p)) {
            assertArrayEquals(v, st.readFloats("big", n));
            float[] hf = st.readFloats("h");
            for (int i = 0; i < h.length; i++) assertEquals(i % 256, hf[i], 0f, "element " + i);
            double[] d = st.readDoubles("big");
            for (int i = 0; i < n; i += 9973) assertEquals(v[i], d[i], 0.0);
        }
    }

    @Test
    void readsAfterCloseFail() throws Exception {
        Path p = new SafetensorsBytes().f32("w", shape(1), 1f).write(tmp.resolve("x.safetensors"));
        SafetensorsFile st = SafetensorsFile.open(p);
        st.close();
        assertThrows(IllegalStateException.class, () -> st.readFloats("w"));
    }
}
