package dev.linnet.engine.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JSON parsing for checkpoint headers and index files, stricter than Jackson's defaults: a repeated key
 * is an error (the default keeps the last one silently, which would let a header describe one tensor
 * twice), so is anything after the top-level value, and the bytes must be valid UTF-8 (Jackson would
 * otherwise guess UTF-16/32 from the first bytes). Every JSON file Linnet reads goes through it: safetensors
 * headers, shard indexes, config.json and tokenizer.json. Jackson's own limits apply on top (nesting depth
 * 1000, strings of 20M chars); callers cap the bytes they read with {@link #readFile}.
 */
public final class StrictJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {}

    /**
     * What is wrong with a JSON file, as a phrase to follow its name ("is not valid JSON: ..."): callers turn it
     * into their own exception, prefixed with the file and what it is.
     */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String problem, Throwable cause) {
            super(problem, cause, false, false);
        }
    }

    /**
     * The whole file, refused without reading it when it holds more than {@code maxBytes} (checked on the bytes
     * read, too, so a file growing meanwhile is no way around it).
     *
     * @throws Invalid     "is N bytes, more than the limit of M" when it is larger
     * @throws IOException when it cannot be read
     */
    public static byte[] readFile(Path file, long maxBytes) throws IOException, Invalid {
        long size = Files.size(file);
        if (size > maxBytes) {
            throw tooLarge(size, maxBytes);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return readAtMost(in, maxBytes);
        }
    }

    /** The rest of {@code in}, refused past {@code maxBytes} (read no further than one byte beyond). */
    public static byte[] readAtMost(InputStream in, long maxBytes) throws IOException, Invalid {
        int limit = (int) Math.min(maxBytes, Integer.MAX_VALUE - 9L);
        byte[] bytes = in.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw tooLarge(-1, limit);
        }
        return bytes;
    }

    private static Invalid tooLarge(long size, long maxBytes) {
        return new Invalid(
                (size < 0 ? "is more than " + maxBytes + " bytes" : "is " + size + " bytes")
                        + ", more than the limit of " + maxBytes + " bytes",
                null);
    }

    /**
     * Parses UTF-8 bytes holding one JSON value of any kind, with the rules of the class comment.
     *
     * @throws Invalid "is not valid UTF-8", "is not valid JSON: ..." or "is empty"
     */
    public static JsonNode parse(byte[] utf8) throws Invalid {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Invalid("is not valid UTF-8", e);
        }
        return parse(text);
    }

    /** As {@link #parse(byte[])}, for text already decoded. */
    public static JsonNode parse(String text) throws Invalid {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Invalid("is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new Invalid("is empty (no JSON value)", null);
        }
        return root;
    }

    /** Parses UTF-8 bytes that must hold one JSON object; {@code what} names them in errors ("header"). */
    static JsonNode parseObject(byte[] utf8, Path file, String what) throws CheckpointFormatException {
        JsonNode root;
        try {
            root = parse(utf8);
        } catch (Invalid e) {
            if (e.getMessage().startsWith("is empty")) {
                throw new CheckpointFormatException(file, what + " is not a JSON object (it is empty)");
            }
            throw new CheckpointFormatException(file, null, what + " " + e.getMessage(), e.getCause());
        }
        if (!root.isObject()) {
            throw new CheckpointFormatException(
                    file,
                    what + " is not a JSON object (it is "
                            + root.getNodeType().toString().toLowerCase() + ")");
        }
        return root;
    }

    /** A JSON integer that fits a non-negative long, or -1 when the node is anything else. */
    public static long nonNegativeLong(JsonNode n) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            return -1;
        }
        long v = n.longValue();
        return v < 0 ? -1 : v;
    }

    /** How a node looks in a message, cut short. */
    public static String show(JsonNode n) {
        String s = n == null ? "nothing" : n.toString();
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
