package dev.linnet.engine.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes safetensors files: an 8-byte little-endian header length, the JSON header (padded to 8 bytes with
 * spaces, as the reference writer does), then each tensor's raw little-endian data, in the order put. The one
 * writer of the project: random checkpoints ({@code dev.linnet.engine.model.RandomCheckpoint}) and tests'
 * edited copies of real checkpoints are written with it.
 */
public final class SafetensorsWriter {
    /** One tensor: its element type, shape and raw little-endian bytes. */
    public record Tensor(DType dtype, long[] shape, byte[] data) {}

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    /** Every tensor of a safetensors file, read as raw bytes, to write again with changes. */
    public static SafetensorsWriter copyOf(Path file) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        try (Checkpoint ck = Checkpoint.open(file);
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (String name : ck.names()) {
                TensorInfo info = ck.info(name);
                ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(info.dataEnd() - info.dataBegin()));
                while (b.hasRemaining()) {
                    if (ch.read(b, info.dataBegin() + b.position()) < 0) {
                        throw new EOFException(file + ": tensor " + name + " ends past the end of the file");
                    }
                }
                w.tensors.put(name, new Tensor(info.dtype(), info.shape(), b.array()));
            }
        }
        return w;
    }

    /** The tensors so far, by name, in writing order (read-only). */
    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Adds a tensor, or replaces the one of that name in place. */
    public SafetensorsWriter put(String name, Tensor tensor) {
        long elements = 1;
        for (long d : tensor.shape()) {
            elements *= d;
        }
        if (elements * tensor.dtype().byteSize() != tensor.data().length) {
            throw new IllegalArgumentException("tensor " + name + ": " + tensor.data().length + " bytes do not hold "
                    + java.util.Arrays.toString(tensor.shape()) + " of " + tensor.dtype());
        }
        tensors.put(name, tensor);
        return this;
    }

    public SafetensorsWriter putFloats(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return put(name, new Tensor(DType.F32, shape, b.array()));
    }

    /** BF16 or F16 values given as their 16 bits. */
    public SafetensorsWriter putBits16(String name, DType dtype, long[] shape, short[] bits) {
        if (dtype != DType.BF16 && dtype != DType.F16) {
            throw new IllegalArgumentException("16-bit values are BF16 or F16, not " + dtype);
        }
        ByteBuffer b = ByteBuffer.allocate(2 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(bits);
        return put(name, new Tensor(dtype, shape, b.array()));
    }

    public SafetensorsWriter remove(String name) {
        if (tensors.remove(name) == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return this;
    }

    public void write(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", e.getValue().dtype().name());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            ArrayNode offsets = t.putArray("data_offsets");
            offsets.add(offset);
            offset += e.getValue().data().length;
            offsets.add(offset);
        }
        byte[] head = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (head.length + 7) / 8 * 8;
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(padded)
                    .array());
            out.write(head);
            for (int i = head.length; i < padded; i++) {
                out.write(' ');
            }
            for (Tensor t : tensors.values()) {
                out.write(t.data());
            }
        }
    }

    /**
     * A checkpoint directory: {@code configJson} as config.json and these tensors as model.safetensors, in
     * {@code dir} (created if needed).
     *
     * @return dir
     */
    public Path writeCheckpoint(Path dir, String configJson) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), configJson);
        write(dir.resolve(Checkpoint.SINGLE_FILE));
        return dir;
    }
}
