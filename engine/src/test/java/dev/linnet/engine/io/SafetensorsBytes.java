package dev.linnet.engine.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds small safetensors files for tests: well-formed ones from typed values (offsets assigned in
 * order, header padded to 8 bytes with spaces as the reference writer does), and hostile ones from a
 * raw header string or a raw length field.
 */
final class SafetensorsBytes {
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<String> entries = new ArrayList<>();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    SafetensorsBytes metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** A tensor with the given raw little-endian bytes, placed after the previous one. */
    SafetensorsBytes tensor(String name, String dtype, long[] shape, byte[] bytes) {
        long begin = data.size();
        data.writeBytes(bytes);
        entries.add(json(name) + ":{\"dtype\":" + json(dtype) + ",\"shape\":" + shapeJson(shape) + ",\"data_offsets\":["
                + begin + "," + data.size() + "]}");
        return this;
    }

    SafetensorsBytes f32(String name, long[] shape, float... v) {
        ByteBuffer b = le(v.length * 4);
        for (float x : v) b.putFloat(x);
        return tensor(name, "F32", shape, b.array());
    }

    SafetensorsBytes f64(String name, long[] shape, double... v) {
        ByteBuffer b = le(v.length * 8);
        for (double x : v) b.putDouble(x);
        return tensor(name, "F64", shape, b.array());
    }

    /** BF16 or F16 from raw bits. */
    SafetensorsBytes bits16(String name, String dtype, long[] shape, short... v) {
        ByteBuffer b = le(v.length * 2);
        for (short x : v) b.putShort(x);
        return tensor(name, dtype, shape, b.array());
    }

    SafetensorsBytes i64(String name, long[] shape, long... v) {
        ByteBuffer b = le(v.length * 8);
        for (long x : v) b.putLong(x);
        return tensor(name, "I64", shape, b.array());
    }

    SafetensorsBytes i32(String name, long[] shape, int... v) {
        ByteBuffer b = le(v.length * 4);
        for (int x : v) b.putInt(x);
        return tensor(name, "I32", shape, b.array());
    }

    byte[] bytes() {
        StringBuilder h = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            h.append("\"__metadata__\":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                h.append(first ? "" : ",").append(json(e.getKey())).append(':').append(json(e.getValue()));
                first = false;
            }
            h.append('}').append(entries.isEmpty() ? "" : ",");
        }
        h.append(String.join(",", entries)).append('}');
        return file(h.toString(), data.toByteArray());
    }

    Path write(Path file) throws IOException {
        Files.write(file, bytes());
        return file;
    }

    /** length field + header (padded with spaces to a multiple of 8) + data. */
    static byte[] file(String headerJson, byte[] dataSection) {
        byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer b = le(8 + padded + dataSection.length);
        b.putLong(padded).put(h);
        for (int i = h.length; i < padded; i++) b.put((byte) ' ');
        return b.put(dataSection).array();
    }

    /** An arbitrary length field followed by arbitrary bytes. */
    static byte[] withLengthField(long n, byte[] rest) {
        return le(8 + rest.length).putLong(n).put(rest).array();
    }

    static long[] shape(long... dims) {
        return dims;
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    private static String shapeJson(long[] shape) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) b.append(i == 0 ? "" : ",").append(shape[i]);
        return b.append(']').toString();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
