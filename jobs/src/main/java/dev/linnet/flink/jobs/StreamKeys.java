package dev.linnet.flink.jobs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How a key (the bytes of a Kafka record key, or text found in the line) becomes a stream key: one string per
 * distinct key, of bounded size, that every JSON writer and Kafka record key can hold.
 *
 * <ul>
 *   <li>Valid UTF-8 of at most {@link #MAX_BYTES} bytes that does not begin with U+FFFD is the key itself.</li>
 *   <li>Other keys of at most {@link #MAX_BYTES} bytes (not UTF-8; beginning with U+FFFD; text with an unpaired
 *       surrogate) become {@code U+FFFD "base64:"} and the base64 of their bytes (of their UTF-16 code units,
 *       big-endian, for text with an unpaired surrogate: {@code U+FFFD "utf16:"}).</li>
 *   <li>Longer keys become {@code U+FFFD "sha256:"} and the hex SHA-256 of their bytes.</li>
 * </ul>
 *
 * So two different keys never share a stream (up to SHA-256 collisions of keys over the limit): keys of the first
 * kind never begin with U+FFFD, and the escaped forms say which bytes they stand for. Escaped keys are scored
 * under their escaped form, with a dead letter ({@link DeadLetterReason#INVALID_KEY}).
 */
public final class StreamKeys {

    /** Most bytes of a key used as it is (1 KiB). */
    public static final int MAX_BYTES = 1024;

    /** Begins every escaped key; a key that itself begins with it is escaped too. */
    public static final String ESCAPE = "\uFFFD";

    /**
     * A stream key, and why it is not the key as given (null when it is).
     *
     * @param key     the stream key
     * @param problem a phrase saying why the key was escaped, or null
     */
    public record Key(String key, String problem) {}

    private StreamKeys() {}

    /** The stream key of a Kafka record key; null for null. */
    public static Key of(byte[] raw) {
        if (raw == null) {
            return null;
        }
        if (raw.length > MAX_BYTES) {
            return tooLong(raw);
        }
        String text = BoundedText.strictUtf8(raw, raw.length);
        if (text == null) {
            return new Key(base64(raw), "the key is not valid UTF-8");
        }
        return text.startsWith(ESCAPE) ? escapeMarked(raw) : new Key(text, null);
    }

    /** The stream key of a key found in the line's text; null for null. */
    public static Key of(String text) {
        if (text == null) {
            return null;
        }
        if (!hasUnpairedSurrogate(text)) {
            // such text is valid UTF-8 once encoded, and decodes back to itself: only its length and start matter
            if (text.length() > MAX_BYTES || utf8Length(text) > MAX_BYTES) {
                return tooLong(text.getBytes(StandardCharsets.UTF_8));
            }
            return text.startsWith(ESCAPE) ? escapeMarked(text.getBytes(StandardCharsets.UTF_8)) : new Key(text, null);
        }
        byte[] utf16 = text.getBytes(StandardCharsets.UTF_16BE);
        if (utf16.length > MAX_BYTES) {
            return new Key(
                    ESCAPE + "sha256:" + BoundedText.sha256(utf16),
                    "the key holds an unpaired surrogate and has " + text.length() + " chars");
        }
        return new Key(
                ESCAPE + "utf16:" + Base64.getEncoder().encodeToString(utf16), "the key holds an unpaired surrogate");
    }

    private static Key tooLong(byte[] raw) {
        return new Key(
                ESCAPE + "sha256:" + BoundedText.sha256(raw),
                "the key has " + raw.length + " bytes, more than " + MAX_BYTES);
    }

    private static Key escapeMarked(byte[] raw) {
        return new Key(base64(raw), "the key begins with U+FFFD, which marks escaped keys");
    }

    /** Bytes of the UTF-8 of {@code s}, which has no unpaired surrogate (a pair's two chars take 4). */
    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String base64(byte[] raw) {
        return ESCAPE + "base64:" + Base64.getEncoder().encodeToString(raw);
    }
}
