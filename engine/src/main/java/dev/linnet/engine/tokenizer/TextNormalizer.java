package dev.linnet.engine.tokenizer;

import java.text.Normalizer;
import java.util.List;

/**
 * A tokenizer.json "normalizer": a function on text applied before pre-tokenization. Only Unicode
 * normalization forms and sequences of them are supported; each maps text to text with no other state.
 */
interface TextNormalizer {
    /** The normalized text (the same instance when nothing changes). */
    String normalize(String s);

    /** NFC, NFD, NFKC or NFKD, as java.text.Normalizer implements them. */
    static TextNormalizer unicode(Normalizer.Form form) {
        return s -> {
            if (isAscii(s) || Normalizer.isNormalized(s, form)) {
                return s; // ASCII is invariant under all four forms
            }
            return Normalizer.normalize(s, form);
        };
    }

    static TextNormalizer sequence(List<TextNormalizer> steps) {
        TextNormalizer[] all = steps.toArray(new TextNormalizer[0]);
        return s -> {
            String out = s;
            for (TextNormalizer n : all) {
                out = n.normalize(out);
            }
            return out;
        };
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
