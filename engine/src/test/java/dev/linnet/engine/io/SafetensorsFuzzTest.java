package dev.linnet.engine.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Fuzz targets for the safetensors reader: any bytes are either read consistently or refused with a
 * {@link CheckpointFormatException}; nothing else may escape (no index, size or arithmetic exception, no
 * allocation beyond what the file holds). A plain test run replays the inputs under
 * src/test/resources/dev/linnet/engine/io/SafetensorsFuzzTestInputs; the fuzz profile fuzzes.
 */
class SafetensorsFuzzTest {
    private static final Path FILE;

    static {
        try {
            Path dir = Files.createTempDirectory("linnet-fuzz-safetensors");
            dir.toFile().deleteOnExit();
            FILE = dir.resolve("fuzz.safetensors");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Input: the data section's length (8 bytes, little-endian), then the header's JSON. */
    @FuzzTest(maxDuration = "60s")
    void header(byte[] input) throws CheckpointFormatException {
        if (input.length < 8) {
            return;
        }
        long dataLength =
                ByteBuffer.wrap(input, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() & Long.MAX_VALUE;
        byte[] json = Arrays.copyOfRange(input, 8, input.length);
        SafetensorsHeader h;
        try {
            h = SafetensorsHeader.parse(FILE, json, 8 + json.length, dataLength);
        } catch (CheckpointFormatException e) {
            requireMessage(e);
            return;
        }
        // what a header accepts is consistent: the ranges tile [0, dataLength) and fit the dtypes and shapes
        long covered = 0;
        for (TensorInfo t : h.tensors().values()) {
            check(t.byteLength() == t.elementCount() * t.dtype().byteSize(), "size of " + t);
            check(t.dataBegin() >= 8 + json.length && t.dataEnd() <= 8 + json.length + dataLength, "range of " + t);
            covered += t.byteLength();
        }
        check(covered == dataLength, "tensors cover " + covered + " of " + dataLength + " bytes");
    }

    /** Input: a whole .safetensors file; every tensor it accepts is read in each form its dtype allows. */
    @FuzzTest(maxDuration = "60s")
    void file(byte[] input) throws IOException {
        Files.write(FILE, input);
        try (SafetensorsFile f = SafetensorsFile.open(FILE)) {
            for (TensorInfo t : f.infos().values()) {
                long n = t.elementCount();
                if (t.dtype().isFloatingPoint()) {
                    check(f.readFloats(t.name()).length == n, "floats of " + t);
                    check(f.readDoubles(t.name(), t.shape()).length == n, "doubles of " + t);
                    if (t.dtype().byteSize() == 2) {
                        check(f.readBits16(t.name()).length == n, "bits of " + t);
                    }
                } else {
                    check(f.readLongs(t.name()).length == n, "longs of " + t);
                }
            }
        } catch (CheckpointFormatException e) {
            requireMessage(e);
        }
    }

    static void requireMessage(Exception e) {
        check(e.getMessage() != null && !e.getMessage().isBlank(), "an error without a message: " + e);
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
