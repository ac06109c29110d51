package dev.linnet.engine.tokenizer;

/**
 * The character kinds the GPT-2 and cl100k-style patterns are written in, with the meaning
 * java.util.regex gives them under UNICODE_CHARACTER_CLASS (and Oniguruma under UTF-8):
 * {@code \p{L}} letters, {@code \p{N}} numbers, {@code \s} White_Space, with {@code \r} and {@code \n}
 * apart; everything else is OTHER.
 */
final class CharKinds {
    static final byte LETTER = 1;
    static final byte NUMBER = 2;
    static final byte SPACE = 3;
    /** \r or \n (also white space) */
    static final byte NEWLINE = 4;

    static final byte OTHER = 5;

    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = slowKind(c);
        }
    }

    private CharKinds() {}

    static byte kind(int cp) {
        return cp < 128 ? ASCII[cp] : slowKind(cp);
    }

    private static byte slowKind(int cp) {
        if (cp == '\r' || cp == '\n') {
            return NEWLINE;
        }
        if (AddedVocabulary.isWhiteSpace(cp)) {
            return SPACE;
        }
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER:
            case Character.LOWERCASE_LETTER:
            case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
                return LETTER;
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                return NUMBER;
            default:
                return OTHER;
        }
    }

    static boolean isSpace(byte kind) {
        return kind == SPACE || kind == NEWLINE;
    }
}
