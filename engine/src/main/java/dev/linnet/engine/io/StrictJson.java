package dev.linnet.engine.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * JSON parsing for checkpoint headers and index files, stricter than Jackson's defaults: a repeated key
 * is an error (the default keeps the last one silently, which would let a header describe one tensor
 * twice), so is anything after the top-level value, and the bytes must be valid UTF-8 (Jackson would
 * otherwise guess UTF-16/32 from the first bytes).
 */
final class StrictJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder(
                    JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {}

    /** Parses UTF-8 bytes that must hold one JSON object; {@code what} names them in errors ("header"). */
    static JsonNode parseObject(byte[] utf8, Path file, String what) throws CheckpointFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointFormatException(file, null, what + " is not valid UTF-8", e);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CheckpointFormatException(file, null, what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            String kind = root == null || root.isMissingNode() ? "empty" : root.getNodeType().toString().toLowerCase();
            throw new CheckpointFormatException(file, what + " is not a JSON object (it is " + kind + ")");
        }
        return root;
    }

    /** A JSON integer that fits a non-negative long, or -1 when the node is anything else. */
    static long nonNegativeLong(JsonNode n) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            return -1;
        }
        long v = n.longValue();
        return v < 0 ? -1 : v;
    }

    /** How a node looks in a message, cut short. */
    static String show(JsonNode n) {
        String s = n == null ? "nothing" : n.toString();
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
