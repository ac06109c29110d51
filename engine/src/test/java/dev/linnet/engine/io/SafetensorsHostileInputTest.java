package dev.linnet.engine.io;

import static dev.linnet.engine.io.SafetensorsBytes.file;
import static dev.linnet.engine.io.SafetensorsBytes.shape;
import static dev.linnet.engine.io.SafetensorsBytes.withLengthField;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken and hostile single files: each is refused on open with a CheckpointFormatException naming the
 * file (and the tensor, where one is at fault), never an unchecked exception, an allocation of what the
 * header claims, or a silent misreading.
 */
class SafetensorsHostileInputTest {
    @TempDir
    Path tmp;

    private int count;

    /** Writes {@code bytes}, opens them, expects refusal; returns the exception after checking the message. */
    private CheckpointFormatException refused(byte[] bytes, String tensor, String... mustContain) throws Exception {
        Path f = tmp.resolve("case" + (count++) + ".safetensors");
        Files.write(f, bytes);
        CheckpointFormatException e = assertThrows(
                CheckpointFormatException.class, () -> SafetensorsFile.open(f).close());
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString()), "message starts with the file: " + m);
        assertEquals(f, e.file());
        if (tensor != null) {
            assertEquals(tensor, e.tensor(), m);
            assertTrue(m.contains("'" + tensor + "'"), "message names the tensor: " + m);
        }
        for (String s : mustContain) {
            assertTrue(m.contains(s), "message should contain \"" + s + "\": " + m);
        }
        return e;
    }

    private static byte[] header(String json, int dataBytes) {
        return file(json, new byte[dataBytes]);
    }

    // ---- the length field ----

    @Test
    void fileShorterThanTheLengthField() throws Exception {
        refused(new byte[0], null, "0 bytes");
        refused(new byte[7], null, "7 bytes");
    }

    @Test
    void headerLengthBeyondTheFileIsRefusedWithoutAllocatingIt() throws Exception {
        // 2^62 in a 200-byte file: allocating it would be an OutOfMemoryError
        refused(withLengthField(1L << 62, new byte[192]), null, "4611686018427387904", "192");
        // 2^64 - 1 reads as -1 in a Java long
        refused(withLengthField(-1L, new byte[192]), null, "18446744073709551615");
        refused(withLengthField(193, new byte[192]), null, "193");
    }

    @Test
    void headerLengthOverTheLimitIsRefused() throws Exception {
        // a sparse file, so the disk holds almost nothing
        Path f = tmp.resolve("huge-header.safetensors");
        long n = SafetensorsFile.MAX_HEADER_BYTES + 8;
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(withLengthField(n, new byte[0]));
            raf.setLength(8 + n);
        }
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(f));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    // ---- the JSON ----

    @Test
    void headerThatIsNotJson() throws Exception {
        refused(header("{not json", 0), null, "not valid JSON");
        refused(withLengthField(0, new byte[0]), null, "empty");
        refused(header("{} {}", 0), null, "not valid JSON");
        refused(
                header("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}", 4),
                null,
                "not valid JSON");
        byte[] badUtf8 = withLengthField(4, new byte[] {'{', (byte) 0xc3, (byte) 0x28, '}'});
        refused(badUtf8, null, "UTF-8");
    }

    @Test
    void headerThatIsNotAnObject() throws Exception {
        refused(header("[1, 2]", 0), null, "not a JSON object", "array");
        refused(header("42", 0), null, "not a JSON object");
        refused(header("null", 0), null, "not a JSON object");
        refused(header("\"{}\"", 0), null, "not a JSON object");
    }

    @Test
    void deeplyNestedJsonIsRefusedNotAStackOverflow() throws Exception {
        String deep = "{\"a\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        refused(header(deep, 0), null, "not valid JSON");
    }

    @Test
    void duplicateTensorNameIsRefused() throws Exception {
        String h = "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + " \"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}";
        refused(header(h, 8), null, "Duplicate", "w");
    }

    @Test
    void entryMissingFieldsOrOfWrongKinds() throws Exception {
        refused(header("{\"w\": 5}", 0), "w", "not a JSON object");
        refused(header("{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", 4), "w", "dtype");
        refused(header("{\"w\": {\"dtype\": 32, \"shape\": [1], \"data_offsets\": [0, 4]}}", 4), "w", "dtype");
        refused(header("{\"w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", 4), "w", "shape");
        refused(header("{\"w\": {\"dtype\": \"F32\", \"shape\": 1, \"data_offsets\": [0, 4]}}", 4), "w", "shape");
        refused(header("{\"w\": {\"dtype\": \"F32\", \"shape\": [1]}}", 4), "w", "data_offsets");
        refused(
                header("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", 4),
                "w",
                "data_offsets",
                "2 elements");
        refused(
                header("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4, 8]}}", 8),
                "w",
                "2 elements");
        refused(
                header("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, \"4\"]}}", 4),
                "w",
                "data_offsets");
    }

    @Test
    void badShapes() throws Exception {
        refused(
                header("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1, 4], \"data_offsets\": [0, 16]}}", 16),
                "w",
                "shape",
                "-1");
        refused(
                header("{\"w\": {\"dtype\": \"F32\", \"shape\": [2.5], \"data_offsets\": [0, 10]}}", 10),
                "w",
                "shape",
                "2.5");
        refused(
                header("{\"w\": {\"dtype\": \"F32\", \"shape\": [99999999999999999999], \"data_offsets\": [0, 4]}}", 4),
                "w",
                "shape");
        refused(header("{\"w\": {\"dtype\": \"F32\", \"shape\": [null], \"data_offsets\": [0, 4]}}", 4), "w", "shape");
        // 2^32 * 2^32 elements: the product overflows a long
        refused(
                header(
                        "{\"w\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296], \"data_offsets\": [0, 4]}}",
                        4),
                "w",
                "more elements");
        // 2^62 elements fit a long, 2^62 * 4 bytes do not
        refused(
                header("{\"w\": {\"dtype\": \"F32\", \"shape\": [4611686018427387904], \"data_offsets\": [0, 4]}}", 4),
                "w",
                "more bytes");
        // zero times an overflowing product is still refused, not taken as 0 elements by luck of ordering
        refused(
                header(
                        "{\"w\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296, 0], \"data_offsets\": [0, 0]}}",
                        0),
                "w",
                "more elements");
    }

    @Test
    void unknownDtypeIsNamed() throws Exception {
        refused(
                header("{\"w\": {\"dtype\": \"F8_E4M3\", \"shape\": [4], \"data_offsets\": [0, 4]}}", 4),
                "w",
                "F8_E4M3",
                "unknown dtype");
        refused(header("{\"w\": {\"dtype\": \"f32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4), "w", "'f32'");
    }

    @Test
    void badMetadata() throws Exception {
        refused(header("{\"__metadata__\": [\"pt\"]}", 0), null, "__metadata__");
        refused(header("{\"__metadata__\": {\"format\": 1}}", 0), null, "__metadata__", "format");
    }

    // ---- data_offsets against shape and each other ----

    @Test
    void beginAfterEnd() throws Exception {
        refused(header("{\"w\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [8, 4]}}", 8), "w", "[8, 4]");
    }

    @Test
    void negativeOffset() throws Exception {
        refused(
                header("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [-4, 0]}}", 4),
                "w",
                "data_offsets");
    }

    @Test
    void endBeyondTheDataSection() throws Exception {
        refused(
                header("{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", 8),
                "w",
                "16",
                "8 bytes");
        // a terabyte tensor claimed in a tiny file is refused at open, before anything is read
        refused(
                header(
                        "{\"w\": {\"dtype\": \"F32\", \"shape\": [262144, 1048576], \"data_offsets\": [0, 1099511627776]}}",
                        16),
                "w",
                "1099511627776");
    }

    @Test
    void spanDisagreesWithShapeTimesDtype() throws Exception {
        refused(
                header("{\"w\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 8]}}", 8),
                "w",
                "8 bytes",
                "needs 16");
        refused(
                header("{\"w\": {\"dtype\": \"BF16\", \"shape\": [4], \"data_offsets\": [0, 16]}}", 16),
                "w",
                "needs 8");
    }

    @Test
    void overlappingTensors() throws Exception {
        String h = "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}";
        refused(header(h, 12), "b", "overlap", "'a'");
        // two names for the same bytes
        String alias = "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"b\": {\"dtype\": \"I64\", \"shape\": [1], \"data_offsets\": [0, 8]}}";
        refused(header(alias, 8), null, "overlap");
        // an empty tensor placed inside another one
        String inside = "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"e\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [4, 4]}}";
        refused(header(inside, 8), "e", "overlap");
    }

    /** Gaps are refused: the format (and its reference implementation) wants the data section tiled exactly. */
    @Test
    void gapsAndTrailingBytesAreRefused() throws Exception {
        String gap = "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [12, 20]}}";
        refused(header(gap, 20), "b", "gap of 4 bytes", "'a'");
        refused(
                header("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12),
                "a",
                "gap of 4 bytes",
                "start");
        CheckpointFormatException trailing = refused(
                header("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 16),
                null,
                "8 bytes",
                "'a'");
        assertTrue(trailing.getMessage().contains("belong to no tensor"), trailing.getMessage());
        refused(header("{}", 4), null, "4 bytes");
    }

    @Test
    void tensorsInAnyHeaderOrderAreFineWhenPacked() throws Exception {
        String h = "{\"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]},"
                + " \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + " \"e\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [4, 4]}}";
        Path f = tmp.resolve("ok.safetensors");
        Files.write(f, file(h, new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40}));
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertEquals(1f, st.readFloats("a")[0]);
            assertEquals(2f, st.readFloats("b")[0]);
            assertEquals(0, st.readFloats("e").length);
        }
    }

    // ---- names and data ----

    @Test
    void hugeHostileNameIsCutInMessages() throws Exception {
        String name = "x".repeat(20_000); // Jackson refuses names over 50000 chars by itself
        String h = "{\"" + name + "\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 8]}}";
        Path f = tmp.resolve("long.safetensors");
        Files.write(f, header(h, 8));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(f));
        assertTrue(
                e.getMessage().length() < 1000,
                "message length " + e.getMessage().length());
        assertTrue(e.getMessage().contains("20000 chars"), e.getMessage());
        assertEquals(name, e.tensor(), "the exception still carries the whole name");
    }

    @Test
    void controlCharactersInNamesAreEscapedInMessages() throws Exception {
        String h = "{\"a\\nb\": {\"dtype\": \"Q1\", \"shape\": [1], \"data_offsets\": [0, 1]}}";
        Path f = tmp.resolve("ctl.safetensors");
        Files.write(f, header(h, 1));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(f));
        assertTrue(e.getMessage().contains("'a\\u000ab'"), e.getMessage());
    }

    @Test
    void boolBytesOtherThanZeroOrOneAreRefused() throws Exception {
        Path f = new SafetensorsBytes()
                .tensor("m", "BOOL", shape(3), new byte[] {1, 2, 0})
                .write(tmp.resolve("b.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> st.readLongs("m"));
            assertTrue(e.getMessage().contains("'m'") && e.getMessage().contains("element 1"), e.getMessage());
        }
    }

    @Test
    void fileTruncatedAfterOpenIsRefusedOnRead() throws Exception {
        Path f = new SafetensorsBytes()
                .f32("a", shape(2), 1, 2)
                .f32("b", shape(2), 3, 4)
                .write(tmp.resolve("t.safetensors"));
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(raf.length() - 4);
            }
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> st.readFloats("b"));
            assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("changed"), e.getMessage());
        }
    }

    @Test
    void notAFile() throws Exception {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(tmp));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        e = assertThrows(
                CheckpointFormatException.class, () -> SafetensorsFile.open(tmp.resolve("missing.safetensors")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void unknownDtypeParseNamesTheString() {
        CheckpointFormatException e =
                assertThrows(CheckpointFormatException.class, () -> DType.parse("C64", tmp.resolve("f"), "t"));
        assertTrue(e.getMessage().contains("'C64'") && e.getMessage().contains("'t'"), e.getMessage());
        assertTrue(assertThrows(CheckpointFormatException.class, () -> DType.parse(null, tmp.resolve("f"), "t"))
                .getMessage()
                .contains("null"));
        assertEquals(DType.BF16, assertDoesNotThrow(() -> DType.parse("BF16", tmp.resolve("f"), "t")));
    }
}
