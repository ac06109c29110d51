package dev.linnet.engine.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 helpers: a strict validity check, a lenient decoder, and encoding of string ranges.
 *
 * <p>The lenient decoder replaces each <em>maximal subpart</em> of an ill-formed sequence by one U+FFFD
 * (Unicode's recommended practice, chapter 3 "U+FFFD Substitution of Maximal Subparts"), which is also what
 * Rust's {@code String::from_utf8_lossy} and Python's {@code bytes.decode("utf-8", "replace")} do; so
 * "F0 9F 98" (a cut-off emoji) is one replacement, "C0 80" two, "ED A0 80" (an encoded surrogate) three.
 */
final class Utf8 {
    private Utf8() {}

    /** Whether bytes[off, off+len) is well-formed UTF-8. */
    static boolean isValid(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            // ASCII runs: 8 bytes at a time
            while (i + 8 <= end && (readLong(b, i) & 0x8080808080808080L) == 0) {
                i += 8;
            }
            if (i >= end) {
                break;
            }
            int b0 = b[i] & 0xFF;
            if (b0 < 0x80) {
                i++;
                continue;
            }
            int n = wellFormedLength(b, i, end);
            if (n <= 0) {
                return false;
            }
            i += n;
        }
        return true;
    }

    private static long readLong(byte[] b, int i) {
        return (b[i] & 0xFFL)
                | (b[i + 1] & 0xFFL) << 8
                | (b[i + 2] & 0xFFL) << 16
                | (b[i + 3] & 0xFFL) << 24
                | (b[i + 4] & 0xFFL) << 32
                | (b[i + 5] & 0xFFL) << 40
                | (b[i + 6] & 0xFFL) << 48
                | (b[i + 7] & 0xFFL) << 56;
    }

    /**
     * Length of the well-formed multi-byte sequence starting at i, or minus the length of the maximal
     * subpart to replace (at least 1) if it is ill-formed. b[i] must be >= 0x80.
     */
    private static int wellFormedLength(byte[] b, int i, int end) {
        int b0 = b[i] & 0xFF;
        int need;
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            need = 1;
        } else if (b0 == 0xE0) {
            need = 2;
            lo = 0xA0;
        } else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) {
            need = 2;
        } else if (b0 == 0xED) {
            need = 2;
            hi = 0x9F;
        } else if (b0 == 0xF0) {
            need = 3;
            lo = 0x90;
        } else if (b0 >= 0xF1 && b0 <= 0xF3) {
            need = 3;
        } else if (b0 == 0xF4) {
            need = 3;
            hi = 0x8F;
        } else {
            return -1;
        }
        int j = i + 1;
        if (j >= end) {
            return -1;
        }
        int b1 = b[j] & 0xFF;
        if (b1 < lo || b1 > hi) {
            return -1;
        }
        for (int k = 2; k <= need; k++) {
            j = i + k;
            if (j >= end || (b[j] & 0xC0) != 0x80) {
                return -(k);
            }
        }
        return need + 1;
    }

    /** Decodes bytes[off, off+len), replacing ill-formed sequences as described above. */
    static DecodedText decodeLenient(byte[] b, int off, int len) {
        if (isValid(b, off, len)) {
            return DecodedText.clean(new String(b, off, len, StandardCharsets.UTF_8));
        }
        StringBuilder sb = new StringBuilder(len);
        IntList at = new IntList(16);
        IntList from = new IntList(16);
        IntList to = new IntList(16);
        int i = off;
        int end = off + len;
        while (i < end) {
            int b0 = b[i] & 0xFF;
            if (b0 < 0x80) {
                sb.append((char) b0);
                i++;
                continue;
            }
            int n = wellFormedLength(b, i, end);
            if (n > 0) {
                int cp;
                if (n == 2) {
                    cp = (b0 & 0x1F) << 6 | (b[i + 1] & 0x3F);
                } else if (n == 3) {
                    cp = (b0 & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | (b[i + 2] & 0x3F);
                } else {
                    cp = (b0 & 0x07) << 18 | (b[i + 1] & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6 | (b[i + 3] & 0x3F);
                }
                sb.appendCodePoint(cp);
                i += n;
            } else {
                at.add(sb.length());
                from.add(i - off);
                to.add(i - off - n);
                sb.append('\uFFFD');
                i -= n;
            }
        }
        return new DecodedText(sb.toString(), at.size(), at.toArray(), from.toArray(), to.toArray());
    }

    /** Number of UTF-8 bytes of s[start, end); lone surrogates count 3 bytes (as their U+FFFD would). */
    static int encodedLength(CharSequence s, int start, int end) {
        int n = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Writes the UTF-8 form of s[start, end) into dst from dstOff (which must have room: at most 3 bytes a
     * char); returns the end position. A lone surrogate is written as U+FFFD.
     */
    static int encode(CharSequence s, int start, int end, byte[] dst, int dstOff) {
        int p = dstOff;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                dst[p++] = (byte) c;
            } else if (c < 0x800) {
                dst[p++] = (byte) (0xC0 | c >> 6);
                dst[p++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                int cp = 0xFFFD;
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
                    cp = Character.toCodePoint(c, s.charAt(++i));
                    dst[p++] = (byte) (0xF0 | cp >> 18);
                    dst[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    dst[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    dst[p++] = (byte) (0x80 | cp & 0x3F);
                    continue;
                }
                dst[p++] = (byte) 0xEF;
                dst[p++] = (byte) 0xBF;
                dst[p++] = (byte) 0xBD;
            } else {
                dst[p++] = (byte) (0xE0 | c >> 12);
                dst[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                dst[p++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return p;
    }
}
