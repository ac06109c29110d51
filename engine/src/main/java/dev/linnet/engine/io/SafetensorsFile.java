package dev.linnet.engine.io;

import dev.linnet.engine.kernels.Bits16;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;

/**
 * One .safetensors file: the header is read and validated on {@link #open} (see {@link SafetensorsHeader}
 * for the rules), tensor data is read on demand with positional FileChannel reads, in chunks of at most
 * {@value #CHUNK_BYTES} bytes, into an array of exactly the tensor's size. Nothing is memory-mapped and
 * nothing larger than the tensor asked for is allocated, whatever the header claims.
 *
 * <p>Each read opens its own channel instead of holding one open: a checkpoint of hundreds of shards
 * then holds no file descriptors, concurrent reads from several threads need no locking, and a thread
 * interrupted mid-read (Flink cancels tasks that way) closes only its own channel, not one that other
 * readers share. A file whose size changed since open is refused rather than read.
 *
 * <p>Every method is safe to call from several threads at once.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Headers beyond this are refused (the reference implementation's limit, too). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The largest array length every JVM allocates; tensors with more elements cannot be read whole. */
    public static final int MAX_ARRAY_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Bytes read per positional read; a multiple of every dtype's size. */
    static final int CHUNK_BYTES = 4 << 20;

    private final Path file;
    private final long fileSize;
    private final SafetensorsHeader header;
    private volatile boolean closed;

    private SafetensorsFile(Path file, long fileSize, SafetensorsHeader header) {
        this.file = file;
        this.fileSize = fileSize;
        this.header = header;
    }

    /**
     * Reads and validates the header of {@code file}.
     *
     * @throws CheckpointFormatException when the file is missing, not a file, or not a valid safetensors file
     */
    public static SafetensorsFile open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            throw new CheckpointFormatException(file, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new CheckpointFormatException(file, "not a regular file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointFormatException(
                        file,
                        "file has " + size + " bytes, fewer than the 8 of the header length: not a safetensors file");
            }
            ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lengthField, 0, file, null);
            long n = lengthField.getLong(0);
            // n is unsigned on disk: a negative long is a length of 2^63 or more
            if (n < 0 || n > size - 8) {
                throw new CheckpointFormatException(
                        file,
                        "header length " + Long.toUnsignedString(n) + " exceeds the " + (size - 8)
                                + " bytes that follow the length field");
            }
            if (n > MAX_HEADER_BYTES) {
                throw new CheckpointFormatException(
                        file, "header length " + n + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
            readFully(ch, headerBytes, 8, file, null);
            SafetensorsHeader header = SafetensorsHeader.parse(file, headerBytes.array(), 8 + n, size - 8 - n);
            return new SafetensorsFile(file, size, header);
        }
    }

    public Path file() {
        return file;
    }

    /** The optional "__metadata__" map of the header (e.g. {"format": "pt"}), empty when absent. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** Tensor names, sorted. */
    public Set<String> names() {
        return header.tensors().keySet();
    }

    /** Every tensor, sorted by name. */
    public SortedMap<String, TensorInfo> infos() {
        return header.tensors();
    }

    public boolean has(String name) {
        return header.tensors().containsKey(name);
    }

    /** @throws CheckpointFormatException naming this file and {@code name} when there is no such tensor */
    public TensorInfo info(String name) throws CheckpointFormatException {
        TensorInfo t = header.tensors().get(name);
        if (t == null) {
            throw new CheckpointFormatException(
                    file,
                    name,
                    "no such tensor (the file holds " + header.tensors().size() + " tensors)");
        }
        return t;
    }

    /**
     * The tensor as float32: F32 as is, BF16 and F16 widened exactly, F64 rounded to nearest.
     *
     * @param expectedShape the shape the caller requires; a negative dimension matches any size; null or
     *                      no dimensions at all skips the check (use {@link TensorInfo#shape()} for scalars)
     * @throws CheckpointFormatException when the tensor is absent, not floating-point, of another shape,
     *                                   or too large for one Java array
     */
    public float[] readFloats(String name, long... expectedShape) throws IOException {
        TensorInfo t = info(name);
        requireFloatingPoint(t, "readFloats");
        requireShape(t, expectedShape);
        float[] out = new float[arrayLength(t)];
        switch (t.dtype()) {
            case F32 ->
                readChunks(t, (chunk, at, count) -> chunk.asFloatBuffer().get(out, at, count));
            case F64 -> {
                double[] tmp = new double[chunkElements(t)];
                readChunks(t, (chunk, at, count) -> {
                    chunk.asDoubleBuffer().get(tmp, 0, count);
                    for (int i = 0; i < count; i++) {
                        out[at + i] = (float) tmp[i];
                    }
                });
            }
            case BF16 -> {
                short[] tmp = new short[chunkElements(t)];
                readChunks(t, (chunk, at, count) -> {
                    chunk.asShortBuffer().get(tmp, 0, count);
                    for (int i = 0; i < count; i++) {
                        out[at + i] = Bits16.bf16ToFloat(tmp[i]);
                    }
                });
            }
            case F16 -> {
                short[] tmp = new short[chunkElements(t)];
                readChunks(t, (chunk, at, count) -> {
                    chunk.asShortBuffer().get(tmp, 0, count);
                    for (int i = 0; i < count; i++) {
                        out[at + i] = Bits16.f16ToFloat(tmp[i]);
                    }
                });
            }
            default -> throw new AssertionError(t.dtype());
        }
        return out;
    }

    /**
     * The raw 16-bit values of a BF16 or F16 tensor, unconverted (for kernels that widen on the fly).
     *
     * @throws CheckpointFormatException when the tensor is of another dtype or shape (see readFloats)
     */
    public short[] readBits16(String name, long... expectedShape) throws IOException {
        TensorInfo t = info(name);
        if (t.dtype() != DType.BF16 && t.dtype() != DType.F16) {
            throw new CheckpointFormatException(
                    file,
                    name,
                    "readBits16 needs a BF16 or F16 tensor, this one is " + t.dtype() + " " + t.shapeString()
                            + (t.dtype().isFloatingPoint() ? " (use readFloats)" : ""));
        }
        requireShape(t, expectedShape);
        short[] out = new short[arrayLength(t)];
        readChunks(t, (chunk, at, count) -> chunk.asShortBuffer().get(out, at, count));
        return out;
    }

    /** The tensor as float64 (F64 as is, F32/F16/BF16 widened exactly); for reference outputs. */
    public double[] readDoubles(String name, long... expectedShape) throws IOException {
        TensorInfo t = info(name);
        requireFloatingPoint(t, "readDoubles");
        requireShape(t, expectedShape);
        double[] out = new double[arrayLength(t)];
        switch (t.dtype()) {
            case F64 ->
                readChunks(t, (chunk, at, count) -> chunk.asDoubleBuffer().get(out, at, count));
            case F32 -> {
                float[] tmp = new float[chunkElements(t)];
                readChunks(t, (chunk, at, count) -> {
                    chunk.asFloatBuffer().get(tmp, 0, count);
                    for (int i = 0; i < count; i++) {
                        out[at + i] = tmp[i];
                    }
                });
            }
            case BF16, F16 -> {
                boolean bf16 = t.dtype() == DType.BF16;
                short[] tmp = new short[chunkElements(t)];
                readChunks(t, (chunk, at, count) -> {
                    chunk.asShortBuffer().get(tmp, 0, count);
                    for (int i = 0; i < count; i++) {
                        out[at + i] = bf16 ? Bits16.bf16ToFloat(tmp[i]) : Bits16.f16ToFloat(tmp[i]);
                    }
                });
            }
            default -> throw new AssertionError(t.dtype());
        }
        return out;
    }

    /**
     * An integer tensor as longs: I64/I32/I16/I8 sign-extended, U8 zero-extended, BOOL as 0/1 (a BOOL
     * byte other than 0 or 1 is refused); for token ids.
     */
    public long[] readLongs(String name, long... expectedShape) throws IOException {
        TensorInfo t = info(name);
        if (!t.dtype().isIntegral()) {
            throw new CheckpointFormatException(
                    file,
                    name,
                    "readLongs needs an integer or BOOL tensor, this one is " + t.dtype() + " " + t.shapeString()
                            + " (use readFloats or readDoubles)");
        }
        requireShape(t, expectedShape);
        long[] out = new long[arrayLength(t)];
        switch (t.dtype()) {
            case I64 -> readChunks(t, (chunk, at, count) -> chunk.asLongBuffer().get(out, at, count));
            case I32 -> {
                int[] tmp = new int[chunkElements(t)];
                readChunks(t, (chunk, at, count) -> {
                    chunk.asIntBuffer().get(tmp, 0, count);
                    for (int i = 0; i < count; i++) {
                        out[at + i] = tmp[i];
                    }
                });
            }
            case I16 -> {
                short[] tmp = new short[chunkElements(t)];
                readChunks(t, (chunk, at, count) -> {
                    chunk.asShortBuffer().get(tmp, 0, count);
                    for (int i = 0; i < count; i++) {
                        out[at + i] = tmp[i];
                    }
                });
            }
            case I8, U8, BOOL -> {
                DType dt = t.dtype();
                byte[] tmp = new byte[chunkElements(t)];
                readChunks(t, (chunk, at, count) -> {
                    chunk.get(tmp, 0, count);
                    for (int i = 0; i < count; i++) {
                        long v = dt == DType.I8 ? tmp[i] : tmp[i] & 0xff;
                        if (dt == DType.BOOL && v > 1) {
                            throw new CheckpointFormatException(
                                    file,
                                    name,
                                    "BOOL element " + ((long) at + i) + " is byte " + v + ", neither 0 nor 1");
                        }
                        out[at + i] = v;
                    }
                });
            }
            default -> throw new AssertionError(t.dtype());
        }
        return out;
    }

    /** Marks the file closed; later reads fail. Holds no descriptor, so there is nothing else to release. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + file + ", " + header.tensors().size() + " tensors]";
    }

    // ---- checks shared by the readers ----

    private void requireFloatingPoint(TensorInfo t, String method) throws CheckpointFormatException {
        if (!t.dtype().isFloatingPoint()) {
            throw new CheckpointFormatException(
                    file,
                    t.name(),
                    method + " needs a floating-point tensor (F64/F32/F16/BF16), this one is " + t.dtype() + " "
                            + t.shapeString() + " (use readLongs)");
        }
    }

    private void requireShape(TensorInfo t, long[] expected) throws CheckpointFormatException {
        if (expected == null || expected.length == 0 || t.hasShape(expected)) {
            return;
        }
        throw new CheckpointFormatException(
                file,
                t.name(),
                "shape is " + t.shapeString() + " (" + t.dtype() + "), expected " + expectedString(expected));
    }

    private static String expectedString(long[] expected) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < expected.length; i++) {
            b.append(i == 0 ? "" : ", ").append(expected[i] < 0 ? "*" : Long.toString(expected[i]));
        }
        return b.append(']').toString();
    }

    /** The element count as an array length, refused with a message when no Java array can hold it. */
    private int arrayLength(TensorInfo t) throws CheckpointFormatException {
        long n = t.elementCount();
        if (n > MAX_ARRAY_ELEMENTS) {
            throw new CheckpointFormatException(
                    file,
                    t.name(),
                    t.dtype() + " " + t.shapeString() + " has " + n + " elements, more than one Java array holds ("
                            + MAX_ARRAY_ELEMENTS + ")");
        }
        return (int) n;
    }

    /** Elements per chunk for this tensor: the size of a per-read scratch array. */
    private static int chunkElements(TensorInfo t) {
        return (int) Math.min(t.elementCount(), CHUNK_BYTES / t.dtype().byteSize());
    }

    // ---- reading ----

    /** Receives one chunk: a little-endian buffer of {@code count} elements, the first being element {@code at}. */
    @FunctionalInterface
    private interface ChunkSink {
        void accept(ByteBuffer chunk, int at, int count) throws IOException;
    }

    /** Streams the tensor's bytes through a direct buffer of at most CHUNK_BYTES. */
    private void readChunks(TensorInfo t, ChunkSink sink) throws IOException {
        if (closed) {
            throw new IllegalStateException(file + " is closed");
        }
        long remaining = t.byteLength();
        if (remaining == 0) {
            return;
        }
        int elementSize = t.dtype().byteSize();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size != fileSize) {
                throw new CheckpointFormatException(
                        file,
                        t.name(),
                        "file is now " + size + " bytes, it was " + fileSize
                                + " when opened: changed underneath the reader");
            }
            ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(remaining, CHUNK_BYTES))
                    .order(ByteOrder.LITTLE_ENDIAN);
            long position = t.dataBegin();
            int at = 0;
            while (remaining > 0) {
                int n = (int) Math.min(remaining, buf.capacity());
                buf.clear().limit(n);
                readFully(ch, buf, position, file, t.name());
                buf.flip();
                int count = n / elementSize;
                sink.accept(buf, at, count);
                at += count;
                position += n;
                remaining -= n;
            }
        }
    }

    /** Fills {@code buf} from {@code position}; the file ending first is a format error (truncated file). */
    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file, String tensor)
            throws IOException {
        long start = position - buf.position();
        while (buf.hasRemaining()) {
            int r = ch.read(buf, start + buf.position());
            if (r < 0) {
                throw new CheckpointFormatException(
                        file,
                        tensor,
                        "file ends at byte " + (start + buf.position()) + ", before the " + buf.limit()
                                + " bytes wanted from byte " + position + " (truncated?)");
            }
        }
    }
}
