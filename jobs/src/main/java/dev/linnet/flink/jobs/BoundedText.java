package dev.linnet.flink.jobs;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The limits that keep one record from growing without bound on its way through the jobs, and the few
 * operations that enforce them: cutting bytes at a UTF-8 character boundary, cutting text to what it takes as
 * JSON, and naming bytes by their SHA-256.
 */
public final class BoundedText {

    /** Most JSON bytes of the text of a line an output record or a dead letter carries (64 KiB). */
    public static final int LINE_JSON_BYTES = 64 * 1024;

    /** Most JSON bytes of all the lines one digest lists together (its novel and representative records). */
    public static final int DIGEST_LINES_JSON_BYTES = 512 * 1024;

    /** Most JSON bytes of one listed line of a digest (kept in keyed state until the digest closes). */
    public static final int DIGEST_LINE_JSON_BYTES = 8 * 1024;

    /** Most JSON bytes of the text of one surprising token. */
    public static final int TOKEN_JSON_BYTES = 256;

    /** Most JSON bytes of an exception's message quoted in a dead letter. */
    public static final int MESSAGE_JSON_BYTES = 1024;

    private BoundedText() {}

    /**
     * The largest {@code n <= max} (and at most {@code bytes.length}) such that {@code bytes[0, n)} ends on a
     * UTF-8 character boundary: a multi-byte character that {@code max} would split is left out whole. Bytes that
     * are not UTF-8 at all are cut at {@code max}.
     */
    public static int utf8Boundary(byte[] bytes, int max) {
        if (max >= bytes.length) {
            return bytes.length;
        }
        if (max <= 0) {
            return 0;
        }
        // bytes[max] is the first byte left out: if it continues a character, back up to that character's start
        int start = max;
        while (start > 0 && max - start < 3 && (bytes[start] & 0xC0) == 0x80) {
            start--;
        }
        if ((bytes[start] & 0xC0) == 0x80) {
            return max; // four continuation bytes in a row: not UTF-8 here, any cut will do
        }
        int lead = bytes[start] & 0xFF;
        int length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return start + length <= max ? max : start;
    }

    /** {@code bytes[0, length)} decoded as UTF-8; null when they are not valid UTF-8. */
    public static String strictUtf8(byte[] bytes, int length) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * {@code text} as a JSON writer can always write it, in at most {@code maxJsonBytes} bytes of JSON string
     * content (escapes counted as written: a control character as six bytes, a quote or backslash as two, other
     * characters as their UTF-8 bytes): the longest such prefix, never splitting a surrogate pair, with unpaired
     * surrogates (which JSON writers refuse) replaced by U+FFFD. Returns {@code text} itself when it needs neither.
     */
    public static String forJson(String text, int maxJsonBytes) {
        if (text == null) {
            return null;
        }
        long bytes = 0;
        int n = text.length();
        boolean lone = false;
        int end = n;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            int size;
            int width = 1;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                size = 4;
                width = 2;
            } else if (Character.isSurrogate(c)) {
                lone = true;
                size = 3; // written as U+FFFD
            } else {
                size = jsonBytes(c);
            }
            if (bytes + size > maxJsonBytes) {
                end = i;
                break;
            }
            bytes += size;
            i += width - 1;
        }
        if (end == n && !lone) {
            return text;
        }
        StringBuilder out = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    private static int jsonBytes(char c) {
        if (c < 0x20) {
            return c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f' ? 2 : 6;
        }
        if (c == '"' || c == '\\') {
            return 2;
        }
        return c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }

    /** The SHA-256 of {@code bytes[0, length)}, as 64 lowercase hex digits. */
    public static String sha256(byte[] bytes, int length) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        digest.update(bytes, 0, length);
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The SHA-256 of all of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        return sha256(bytes, bytes.length);
    }
}
