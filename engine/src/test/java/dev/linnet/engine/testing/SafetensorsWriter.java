package dev.linnet.engine.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linnet.engine.io.Checkpoint;
import dev.linnet.engine.io.TensorInfo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds safetensors files in tests: copies of real checkpoints with tensors removed, renamed, reshaped or fused. */
public final class SafetensorsWriter {
    /** One tensor: dtype name as in the format, shape, and its raw little-endian bytes. */
    public record Raw(String dtype, long[] shape, byte[] data) {}

    private final Map<String, Raw> tensors = new LinkedHashMap<>();

    public static SafetensorsWriter copyOf(Path modelFile) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        try (Checkpoint ck = Checkpoint.open(modelFile); FileChannel ch = FileChannel.open(modelFile, StandardOpenOption.READ)) {
            for (String name : ck.names()) {
                TensorInfo info = ck.info(name);
                ByteBuffer b = ByteBuffer.allocate((int) (info.dataEnd() - info.dataBegin()));
                ch.read(b, info.dataBegin()); // absolute file position
                w.tensors.put(name, new Raw(info.dtype().name(), info.shape(), b.array()));
            }
        }
        return w;
    }

    public Map<String, Raw> tensors() {
        return tensors;
    }

    public SafetensorsWriter put(String name, Raw raw) {
        tensors.put(name, raw);
        return this;
    }

    public SafetensorsWriter remove(String name) {
        if (tensors.remove(name) == null) throw new IllegalArgumentException("no tensor " + name);
        return this;
    }

    public void write(Path file) throws IOException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode header = om.createObjectNode();
        long off = 0;
        for (Map.Entry<String, Raw> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", e.getValue().dtype());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.getValue().shape()) shape.add(d);
            ArrayNode offs = t.putArray("data_offsets");
            offs.add(off);
            off += e.getValue().data().length;
            offs.add(off);
        }
        byte[] h = om.writeValueAsBytes(header);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            out.write(h);
            for (Raw r : tensors.values()) out.write(r.data());
        }
    }

    /** Copies a checkpoint directory's config.json into dir, then writes this as dir/model.safetensors. */
    public Path writeModelDir(Path from, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.copy(from.resolve("config.json"), dir.resolve("config.json"));
        write(dir.resolve("model.safetensors"));
        return dir;
    }

    public static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
