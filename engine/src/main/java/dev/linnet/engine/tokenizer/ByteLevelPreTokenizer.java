package dev.linnet.engine.tokenizer;

/**
 * HF's ByteLevel pre-tokenizer: optionally puts a space before each piece that does not start with one
 * (add_prefix_space), optionally cuts it with GPT-2's regex (use_regex), and hands the pieces on to be
 * encoded as bytes. The byte-to-character mapping it also performs in HF is implicit here: the BPE model
 * works on UTF-8 bytes directly.
 */
final class ByteLevelPreTokenizer implements PreTokenizer {
    /** GPT-2's pattern, as HF's ByteLevel uses it. */
    static final String GPT2_PATTERN =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private final boolean addPrefixSpace;
    private final SplitPattern regex;

    ByteLevelPreTokenizer(boolean addPrefixSpace, boolean useRegex) {
        this.addPrefixSpace = addPrefixSpace;
        this.regex = useRegex ? SplitPatterns.forRegex(GPT2_PATTERN) : null;
    }

    @Override
    public boolean cutsAfterNewline() {
        return regex instanceof PatternScanner;
    }

    @Override
    public boolean addsNothing() {
        return !addPrefixSpace;
    }

    @Override
    public void pretokenize(String text, int start, int end, PieceSink out) {
        boolean prefix = addPrefixSpace && text.charAt(start) != ' ';
        if (regex == null) {
            out.piece(text, start, end, prefix);
            return;
        }
        if (!prefix) {
            isolate(text, start, end, out);
            return;
        }
        // the regex must see the added space: run it on " " + piece, then map back (position 0 is the space)
        String spaced = " " + text.substring(start, end);
        int shift = start - 1;
        int[] prev = {0};
        PieceSink back = (t, s, e, p) -> {
            if (s == 0) {
                out.piece(text, start, e + shift, true);
            } else {
                out.piece(text, s + shift, e + shift, false);
            }
        };
        regex.findMatches(spaced, 0, spaced.length(), (s, e) -> {
            if (prev[0] < s) {
                back.piece(spaced, prev[0], s, false);
            }
            if (s < e) {
                back.piece(spaced, s, e, false);
            }
            prev[0] = e;
        });
        if (prev[0] < spaced.length()) {
            back.piece(spaced, prev[0], spaced.length(), false);
        }
    }

    private void isolate(String text, int start, int end, PieceSink out) {
        int[] prev = {start};
        regex.findMatches(text, start, end, (s, e) -> {
            if (prev[0] < s) {
                out.piece(text, prev[0], s, false);
            }
            if (s < e) {
                out.piece(text, s, e, false);
            }
            prev[0] = e;
        });
        if (prev[0] < end) {
            out.piece(text, prev[0], end, false);
        }
    }
}
