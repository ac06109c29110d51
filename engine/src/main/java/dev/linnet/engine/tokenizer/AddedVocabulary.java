package dev.linnet.engine.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds added tokens in text the way HF's AddedVocabulary does: leftmost-longest matching over all
 * added tokens of one kind (those matched in raw text, or those matched in normalized text); a special
 * token is skipped when special tokens are not recognised, a single_word token where a word character
 * touches it; lstrip/rstrip widen a match over neighbouring whitespace. Matching resumes after a skipped
 * match, as HF's matcher does.
 */
final class AddedVocabulary {

    /** Receives the stretches of a text in order: plain text, or an added token's id. */
    interface SplitSink {
        void text(int start, int end);

        void token(int start, int end, int id);
    }

    private static final class Matcher {
        /** Patterns by first char, longest first. */
        final Map<Character, int[]> byFirstChar = new HashMap<>();

        final long[] firstChars = new long[1024];
        final List<String> patterns = new ArrayList<>();
        final List<Integer> ids = new ArrayList<>();

        void add(String pattern, int id) {
            patterns.add(pattern);
            ids.add(id);
        }

        void build() {
            Map<Character, List<Integer>> groups = new HashMap<>();
            for (int i = 0; i < patterns.size(); i++) {
                String p = patterns.get(i);
                if (p.isEmpty()) {
                    continue;
                }
                char c = p.charAt(0);
                groups.computeIfAbsent(c, k -> new ArrayList<>()).add(i);
                firstChars[c >> 6] |= 1L << (c & 63);
            }
            for (Map.Entry<Character, List<Integer>> g : groups.entrySet()) {
                List<Integer> list = g.getValue();
                list.sort(
                        Comparator.comparingInt((Integer i) -> -patterns.get(i).length()));
                byFirstChar.put(
                        g.getKey(), list.stream().mapToInt(Integer::intValue).toArray());
            }
        }

        boolean isEmpty() {
            return byFirstChar.isEmpty();
        }
    }

    private final Map<Integer, AddedToken> tokensById;
    private final Matcher raw = new Matcher();
    private final Matcher normalized = new Matcher();

    /**
     * @param tokensById          every added token with the id HF gives it
     * @param normalizedContentById for tokens with normalized=true: their content after the normalizer
     */
    AddedVocabulary(Map<Integer, AddedToken> tokensById, Map<Integer, String> normalizedContentById) {
        this.tokensById = Map.copyOf(tokensById);
        Integer[] ids = tokensById.keySet().toArray(new Integer[0]);
        Arrays.sort(ids);
        for (Integer id : ids) {
            AddedToken t = tokensById.get(id);
            if (t.normalized()) {
                normalized.add(normalizedContentById.getOrDefault(id, t.content()), id);
            } else {
                raw.add(t.content(), id);
            }
        }
        raw.build();
        normalized.build();
    }

    boolean hasRawTokens() {
        return !raw.isEmpty();
    }

    boolean hasNormalizedTokens() {
        return !normalized.isEmpty();
    }

    AddedToken token(int id) {
        return tokensById.get(id);
    }

    Map<Integer, AddedToken> tokensById() {
        return tokensById;
    }

    /**
     * Splits text[start, end) around the added tokens matched in raw text ({@code normalizedPass} false) or
     * in normalized text (true).
     */
    void split(String text, int start, int end, boolean normalizedPass, boolean recognizeSpecial, SplitSink sink) {
        Matcher m = normalizedPass ? normalized : raw;
        if (m.isEmpty() || start == end) {
            if (start < end) {
                sink.text(start, end);
            }
            return;
        }
        int done = start; // HF's start_offset: where the previous emitted token ended
        int pos = start;
        while (pos < end) {
            char c = text.charAt(pos);
            if ((m.firstChars[c >> 6] & (1L << (c & 63))) == 0) {
                pos++;
                continue;
            }
            int found = longestAt(m, text, pos, end);
            if (found < 0) {
                pos++;
                continue;
            }
            int matchStart = pos;
            int matchEnd = pos + m.patterns.get(found).length();
            pos = matchEnd; // the matcher resumes after this match whether or not it is used
            int id = m.ids.get(found);
            AddedToken t = tokensById.get(id);
            if (t.special() && !recognizeSpecial) {
                continue;
            }
            if (t.singleWord()) {
                boolean startFree = matchStart == start || !isWordChar(text.codePointBefore(matchStart));
                boolean endFree = matchEnd == end || !isWordChar(text.codePointAt(matchEnd));
                if (!startFree || !endFree) {
                    continue;
                }
            }
            int s = matchStart;
            int e = matchEnd;
            if (t.lstrip()) {
                int ws = s;
                while (ws > start) {
                    int cp = text.codePointBefore(ws);
                    if (!isWhiteSpace(cp)) {
                        break;
                    }
                    ws -= Character.charCount(cp);
                }
                s = Math.max(ws, done);
            }
            if (t.rstrip()) {
                while (e < end) {
                    int cp = text.codePointAt(e);
                    if (!isWhiteSpace(cp)) {
                        break;
                    }
                    e += Character.charCount(cp);
                }
            }
            if (done < s) {
                sink.text(done, s);
            }
            sink.token(s, e, id);
            done = e;
        }
        if (done != end && done < end) {
            sink.text(done, end);
        }
    }

    private static int longestAt(Matcher m, String text, int pos, int end) {
        int[] candidates = m.byFirstChar.get(text.charAt(pos));
        if (candidates == null) {
            return -1;
        }
        for (int i : candidates) {
            String p = m.patterns.get(i);
            if (p.length() <= end - pos && text.startsWith(p, pos)) {
                return i;
            }
        }
        return -1;
    }

    /** Unicode White_Space, as Rust's regex {@code \s} (java.lang.Character.isWhitespace differs). */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D)
                || cp == 0x20
                || cp == 0x85
                || cp == 0xA0
                || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028
                || cp == 0x2029
                || cp == 0x202F
                || cp == 0x205F
                || cp == 0x3000;
    }

    /** Rust regex's Unicode {@code \w}: alphabetic, marks, decimal digits, connector punctuation, joiners. */
    static boolean isWordChar(int cp) {
        if (Character.isAlphabetic(cp)) {
            return true;
        }
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK
                || t == Character.ENCLOSING_MARK
                || t == Character.COMBINING_SPACING_MARK
                || t == Character.DECIMAL_DIGIT_NUMBER
                || t == Character.CONNECTOR_PUNCTUATION
                || cp == 0x200C
                || cp == 0x200D;
    }
}
