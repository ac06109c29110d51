package dev.linnet.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The parsed and validated JSON header of one .safetensors file: every tensor's dtype, shape and place,
 * and the optional "__metadata__" string map.
 *
 * <p>Layout rule, the one the reference implementation (huggingface/safetensors) enforces: the tensors'
 * byte ranges, sorted by offset, must tile the data section exactly: the first starts at 0, each starts
 * where the previous one ended, the last ends at the end of the file. So overlaps are refused (two
 * names for the same bytes, or one tensor's bytes read as another's), and so are gaps and trailing bytes
 * (bytes no tensor accounts for: the format forbids them so that a file cannot hide other content, and a
 * gap is more often a sign of a corrupted offset than a writer's choice). Every file the reference
 * library writes or loads passes this rule.
 */
final class SafetensorsHeader {
    static final String METADATA_KEY = "__metadata__";

    private final Map<String, String> metadata;
    private final SortedMap<String, TensorInfo> tensors;

    private SafetensorsHeader(Map<String, String> metadata, SortedMap<String, TensorInfo> tensors) {
        this.metadata = metadata;
        this.tensors = tensors;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    /** By name, sorted. */
    SortedMap<String, TensorInfo> tensors() {
        return tensors;
    }

    /**
     * @param headerBytes the N header bytes
     * @param dataStart   absolute position of the data section (8 + N)
     * @param dataLength  bytes from dataStart to the end of the file
     */
    static SafetensorsHeader parse(Path file, byte[] headerBytes, long dataStart, long dataLength)
            throws CheckpointFormatException {
        JsonNode root = StrictJson.parseObject(headerBytes, file, "header");
        Map<String, String> metadata = Collections.emptyMap();
        SortedMap<String, TensorInfo> tensors = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, e.getValue());
            } else {
                tensors.put(e.getKey(), parseEntry(file, e.getKey(), e.getValue(), dataStart, dataLength));
            }
        }
        checkLayout(file, tensors.values(), dataStart, dataLength);
        return new SafetensorsHeader(metadata, Collections.unmodifiableSortedMap(tensors));
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) throws CheckpointFormatException {
        if (!node.isObject()) {
            throw new CheckpointFormatException(
                    file, "\"" + METADATA_KEY + "\" is not a JSON object: " + StrictJson.show(node));
        }
        Map<String, String> m = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new CheckpointFormatException(
                        file,
                        "\"" + METADATA_KEY + "\" value of " + CheckpointFormatException.quote(e.getKey())
                                + " is not a string: " + StrictJson.show(e.getValue()));
            }
            m.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(m);
    }

    private static TensorInfo parseEntry(Path file, String name, JsonNode entry, long dataStart, long dataLength)
            throws CheckpointFormatException {
        if (!entry.isObject()) {
            throw new CheckpointFormatException(file, name, "entry is not a JSON object: " + StrictJson.show(entry));
        }
        JsonNode dtypeNode = entry.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new CheckpointFormatException(
                    file, name, "entry has no \"dtype\" string (found " + StrictJson.show(dtypeNode) + ")");
        }
        DType dtype = DType.parse(dtypeNode.textValue(), file, name);

        long[] shape = longArray(file, name, entry.get("shape"), "shape", -1);
        long elements = 1;
        for (long d : shape) {
            try {
                elements = Math.multiplyExact(elements, d);
            } catch (ArithmeticException overflow) {
                throw new CheckpointFormatException(
                        file,
                        name,
                        "shape " + java.util.Arrays.toString(shape) + " has more elements than a 64-bit count holds");
            }
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(elements, (long) dtype.byteSize());
        } catch (ArithmeticException overflow) {
            throw new CheckpointFormatException(
                    file,
                    name,
                    "shape " + java.util.Arrays.toString(shape) + " of " + dtype
                            + " needs more bytes than a 64-bit count holds");
        }

        long[] offsets = longArray(file, name, entry.get("data_offsets"), "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new CheckpointFormatException(
                    file, name, "data_offsets [" + begin + ", " + end + "] begin after they end");
        }
        if (end > dataLength) {
            throw new CheckpointFormatException(
                    file,
                    name,
                    "data_offsets [" + begin + ", " + end + "] end beyond the data section, which holds " + dataLength
                            + " bytes");
        }
        if (end - begin != bytes) {
            throw new CheckpointFormatException(
                    file,
                    name,
                    "data_offsets [" + begin + ", " + end + "] span " + (end - begin) + " bytes but shape "
                            + java.util.Arrays.toString(shape) + " of " + dtype + " needs " + bytes);
        }
        return new TensorInfo(name, dtype, shape, file, dataStart + begin, dataStart + end);
    }

    /** A JSON array of non-negative integers (of exactly {@code length} elements unless it is -1). */
    private static long[] longArray(Path file, String name, JsonNode node, String field, int length)
            throws CheckpointFormatException {
        if (node == null || !node.isArray()) {
            throw new CheckpointFormatException(
                    file, name, "entry has no \"" + field + "\" array (found " + StrictJson.show(node) + ")");
        }
        if (length >= 0 && node.size() != length) {
            throw new CheckpointFormatException(
                    file, name, "\"" + field + "\" must have " + length + " elements: " + StrictJson.show(node));
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = StrictJson.nonNegativeLong(node.get(i));
            if (out[i] < 0) {
                throw new CheckpointFormatException(
                        file,
                        name,
                        "\"" + field + "\" element " + i + " is not a non-negative 64-bit integer: "
                                + StrictJson.show(node.get(i)));
            }
        }
        return out;
    }

    /** See the class comment: byte ranges must tile [0, dataLength) exactly. */
    private static void checkLayout(
            Path file, java.util.Collection<TensorInfo> tensors, long dataStart, long dataLength)
            throws CheckpointFormatException {
        List<TensorInfo> byPlace = new ArrayList<>(tensors);
        byPlace.sort(Comparator.comparingLong(TensorInfo::dataBegin).thenComparingLong(TensorInfo::dataEnd));
        long expected = 0;
        TensorInfo previous = null;
        for (TensorInfo t : byPlace) {
            long begin = t.dataBegin() - dataStart;
            long end = t.dataEnd() - dataStart;
            if (begin < expected) {
                throw new CheckpointFormatException(
                        file,
                        t.name(),
                        "data_offsets [" + begin + ", " + end
                                + "] overlap those of tensor " + CheckpointFormatException.quote(previous.name())
                                + " [" + (previous.dataBegin() - dataStart) + ", " + (previous.dataEnd() - dataStart)
                                + "]");
            }
            if (begin > expected) {
                String after = previous == null
                        ? "the start of the data section"
                        : "tensor " + CheckpointFormatException.quote(previous.name());
                throw new CheckpointFormatException(
                        file,
                        t.name(),
                        "data_offsets [" + begin + ", " + end
                                + "] leave a gap of " + (begin - expected) + " bytes after " + after
                                + " (the format wants tensors packed with no unused bytes)");
            }
            expected = end;
            previous = t;
        }
        if (expected != dataLength) {
            String after = previous == null ? "" : " after tensor " + CheckpointFormatException.quote(previous.name());
            throw new CheckpointFormatException(
                    file,
                    "data section holds " + dataLength + " bytes but the tensors cover " + expected + ": the "
                            + (dataLength - expected) + " bytes" + after + " belong to no tensor");
        }
    }
}
