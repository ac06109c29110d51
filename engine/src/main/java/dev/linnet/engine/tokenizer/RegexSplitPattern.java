package dev.linnet.engine.tokenizer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Split pattern given as a regex in tokenizer.json, run with java.util.regex.
 *
 * <p>HF tokenizers runs these with Oniguruma (Ruby-like syntax, UTF-8). The two engines agree on the
 * constructs tokenizer patterns use (alternation order, greedy/possessive/lazy repeats, look-ahead,
 * {@code \p{L}}, {@code \p{N}}, {@code (?i:...)}) once Java is told that {@code \s}, {@code \w}, {@code \d}
 * and case folding are Unicode-wide, and that {@code ^}/{@code $} are line anchors as in Ruby. A few Oniguruma
 * spellings are rewritten ({@code \h} = hex digit, {@code \p{^X}} = not X, script names without "Is"); what
 * Java cannot express is refused, naming the construct.
 */
final class RegexSplitPattern implements SplitPattern {
    static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.MULTILINE | Pattern.UNIX_LINES;

    /**
     * The characters a regex may read per character of the text it splits (plus {@link #BASE_STEPS}), before
     * splitting is abandoned. The patterns of real tokenizers read each character a few times to a few dozen; a
     * pattern that backtracks catastrophically ({@code (a+)+$}) reads exponentially many, and would hold the
     * thread for ever on one record. Splitting a megabyte may take up to about 10^9 reads, a few seconds.
     */
    static final long STEPS_PER_CHAR = 1_000;

    static final long BASE_STEPS = 1 << 20;

    private final Pattern pattern;
    private final String source;

    RegexSplitPattern(String onigurumaRegex) {
        this(compile(onigurumaRegex), onigurumaRegex);
    }

    private RegexSplitPattern(Pattern pattern, String source) {
        this.pattern = pattern;
        this.source = source;
    }

    /** A Split pattern given as {"String": ...}: the text itself, found literally. */
    static RegexSplitPattern literal(String text) {
        return new RegexSplitPattern(Pattern.compile(Pattern.quote(text), FLAGS), Pattern.quote(text));
    }

    static Pattern compile(String onigurumaRegex) {
        String java = translate(onigurumaRegex);
        try {
            return Pattern.compile(java, FLAGS);
        } catch (PatternSyntaxException e) {
            throw new UnsupportedTokenizerFeatureException("Split regex " + quoted(onigurumaRegex)
                    + " uses syntax that java.util.regex does not support: " + e.getDescription());
        }
    }

    @Override
    public void findMatches(String text, int start, int end, MatchSink sink) {
        Matcher m = pattern.matcher(new CountedText(text, BASE_STEPS + STEPS_PER_CHAR * (end - start)));
        m.region(start, end);
        int lastEnd = -1;
        while (m.find()) {
            int s = m.start();
            int e = m.end();
            // Oniguruma's iterator drops an empty match right where the previous match ended
            if (s == e && s == lastEnd) {
                continue;
            }
            sink.match(s, e);
            lastEnd = e;
        }
    }

    /** Rewrites Oniguruma-only spellings into java.util.regex ones; refuses what has no Java equivalent. */
    static String translate(String re) {
        StringBuilder out = new StringBuilder(re.length() + 16);
        int classDepth = 0;
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\' && i + 1 < re.length()) {
                char e = re.charAt(i + 1);
                if (e == 'h' || e == 'H') {
                    if (classDepth > 0) {
                        if (e == 'H') {
                            throw unsupported(re, "\\H inside a character class");
                        }
                        out.append("0-9a-fA-F");
                    } else {
                        out.append(e == 'h' ? "[0-9a-fA-F]" : "[^0-9a-fA-F]");
                    }
                    i++;
                    continue;
                }
                if ((e == 'p' || e == 'P') && i + 2 < re.length() && re.charAt(i + 2) == '{') {
                    int close = re.indexOf('}', i + 3);
                    if (close < 0) {
                        throw unsupported(re, "an unterminated \\p{...}");
                    }
                    String name = re.substring(i + 3, close);
                    boolean negate = e == 'P';
                    if (name.startsWith("^")) {
                        negate = !negate;
                        name = name.substring(1);
                    }
                    out.append(javaProperty(re, name, negate));
                    i = close;
                    continue;
                }
                if (e == 'K') {
                    throw unsupported(re, "\\K (keep)");
                }
                out.append(c).append(e);
                i++;
                continue;
            }
            if (c == '[') {
                if (i + 1 < re.length() && re.charAt(i + 1) == ':' && classDepth > 0) {
                    throw unsupported(re, "a POSIX bracket expression [:name:]");
                }
                classDepth++;
                out.append(c);
                if (i + 1 < re.length() && re.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                continue;
            }
            if (c == ']' && classDepth > 0) {
                classDepth--;
            }
            if (c == '(' && re.startsWith("(?~", i)) {
                throw unsupported(re, "the absent operator (?~...)");
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String javaProperty(String re, String name, boolean negate) {
        String p = negate ? "\\P" : "\\p";
        for (String candidate : new String[] {name, "Is" + name}) {
            try {
                Pattern.compile(p + "{" + candidate + "}", FLAGS);
                return p + "{" + candidate + "}";
            } catch (PatternSyntaxException ignored) {
                // try the next spelling
            }
        }
        throw unsupported(re, "the character property \\p{" + name + "}");
    }

    private static UnsupportedTokenizerFeatureException unsupported(String re, String what) {
        return new UnsupportedTokenizerFeatureException("Split regex " + quoted(re) + " uses " + what
                + ", which java.util.regex cannot express the way Oniguruma does");
    }

    static String quoted(String s) {
        return s.length() > 120 ? "'" + s.substring(0, 117) + "...'" : "'" + s + "'";
    }

    /** The text as the regex engine sees it, counting the characters it reads against a budget. */
    private final class CountedText implements CharSequence {
        private final String text;
        private long left;

        CountedText(String text, long budget) {
            this.text = text;
            this.left = budget;
        }

        @Override
        public char charAt(int index) {
            if (--left < 0) {
                throw new RegexBudgetException("Split regex " + quoted(source) + " read more than " + BASE_STEPS + " + "
                        + STEPS_PER_CHAR + " characters per character of a text: it backtracks catastrophically on this"
                        + " text, and the tokenizer.json that holds it cannot split it in bounded time");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return text.subSequence(from, to);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
