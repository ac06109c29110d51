package dev.linnet.engine.tokenizer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for tokenizer.json: any bytes are either a tokenizer that encodes and decodes within its own ids, or
 * refused with an {@link IllegalArgumentException} of the project's (a plain one or an
 * {@link UnsupportedTokenizerFeatureException}) that says what is wrong; no other exception may escape. A plain
 * test run replays src/test/resources/dev/linnet/engine/tokenizer/TokenizerJsonFuzzTestInputs.
 */
class TokenizerJsonFuzzTest {
    private static final String TEXT = "Hello, world! 123 caf\u00e9 \u4e16\u754c\n\n  <|endoftext|> it's\tdone "
            + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!";
    private static final byte[] INVALID_UTF8 = {'a', (byte) 0xC0, (byte) 0x80, ' ', (byte) 0xF0, (byte) 0x9F, 'z'};

    @FuzzTest(maxDuration = "60s")
    void tokenizerJson(byte[] input) throws IOException {
        Tokenizer t;
        try {
            t = Tokenizer.fromJson(new ByteArrayInputStream(input));
        } catch (IllegalArgumentException e) {
            // only the project's own refusals: not a NumberFormatException, PatternSyntaxException or the like
            if (e.getClass() != IllegalArgumentException.class
                    && e.getClass() != UnsupportedTokenizerFeatureException.class) {
                throw e;
            }
            check(e.getMessage() != null && !e.getMessage().isBlank(), "a refusal without a message");
            return;
        }
        for (EncodeOptions options : new EncodeOptions[] {
            EncodeOptions.DEFAULT,
            EncodeOptions.DEFAULT
                    .offsetsReported(true)
                    .specialTokensRecognized(true)
                    .templateTokensAdded(true)
        }) {
            Encoding e;
            try {
                e = t.encodeText(TEXT, options);
            } catch (RegexBudgetException tooCostly) {
                return; // a Split regex that backtracks catastrophically: refused for this text, by name
            }
            checkIds(t, e.ids());
            Encoding raw = t.encodeUtf8(INVALID_UTF8, options);
            checkIds(t, raw.ids());
            if (options != EncodeOptions.DEFAULT) {
                int length = TEXT.getBytes(StandardCharsets.UTF_8).length;
                for (int i = 0; i < e.size(); i++) {
                    check(0 <= e.start(i) && e.start(i) <= e.end(i) && e.end(i) <= length, "offsets of token " + i);
                }
            }
            t.decode(e.ids());
        }
    }

    private static void checkIds(Tokenizer t, int[] ids) {
        for (int id : ids) {
            check(id >= 0 && id < t.idBound(), "id " + id + " outside [0, " + t.idBound() + ")");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
