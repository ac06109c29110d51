package dev.linnet.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written scanners must give exactly java.util.regex's matches (which match HF's, see HfParityTest). */
class PatternScannerTest {
    /** Pieces that exercise every alternative and the backtracking around white space. */
    private static final String[] POOL = {
        "a",
        "Z",
        "é",
        "ſ",
        "K",
        "ß",
        "日",
        "한",
        "\u02b0",
        "\u01c5",
        "\ud835\udc00",
        "\ud800\udf48",
        "0",
        "7",
        "\u0663",
        "\u00b2",
        "\u00bd",
        "\u2167",
        "\ud835\udfce",
        "\u2460",
        " ",
        "  ",
        "\t",
        "\u00a0",
        "\u3000",
        "\u2003",
        "\u0085",
        "\u2028",
        "\u000b",
        "\u000c",
        "\u001c",
        "\n",
        "\r",
        "\r\n",
        "\n\n",
        "'",
        "'s",
        "'S",
        "'t",
        "'T",
        "'re",
        "'RE",
        "'Re",
        "'ve",
        "'VE",
        "'m",
        "'M",
        "'ll",
        "'LL",
        "'lL",
        "'d",
        "'D",
        "'ſ",
        "'x",
        "\u2019s",
        ".",
        ",",
        "!",
        "-",
        "_",
        "/",
        "\\",
        "<",
        "|",
        ">",
        "$",
        "\u0301",
        "\u0308",
        "\u200d",
        "\ufe0f",
        "\ud83d\ude00",
        "\ud83d\udc4d\ud83c\udffd",
        "\u0000",
        "\u001b",
        "\u007f",
        "\ufffd",
        "\uffff",
        "hello",
        "WORLD",
        "123456",
        " the",
        " 42",
        " ...",
        "  \n  ",
        " \r\n\t ",
    };

    @Test
    void scannersMatchJavaRegexOnRandomText() {
        SplittableRandom rnd = new SplittableRandom(20240601);
        for (Map.Entry<String, PatternScanner> e : SplitPatterns.KNOWN.entrySet()) {
            RegexSplitPattern regex = new RegexSplitPattern(e.getKey());
            for (int n = 0; n < 20000; n++) {
                StringBuilder sb = new StringBuilder();
                int len = 1 + rnd.nextInt(12);
                for (int k = 0; k < len; k++) {
                    sb.append(POOL[rnd.nextInt(POOL.length)]);
                }
                String text = sb.toString();
                // also a region inside a longer string: the region bounds must act as the text's ends
                String padded = "x " + text + "\n y";
                assertEquals(
                        matches(regex, padded, 2, 2 + text.length()),
                        matches(e.getValue(), padded, 2, 2 + text.length()),
                        () -> "pattern " + e.getKey() + " on " + escape(text));
            }
        }
    }

    @Test
    void caseFoldingOfContractionsIsExactlyJavaRegexOnes() {
        // (?i) in the cl100k pattern folds with Unicode rules: list every char each contraction letter matches
        for (char letter : "strvmld".toCharArray()) {
            Pattern p = Pattern.compile("(?i)" + letter, RegexSplitPattern.FLAGS);
            StringBuilder folds = new StringBuilder();
            for (int c = 0; c < 0x10000; c++) {
                if (p.matcher(String.valueOf((char) c)).matches()) {
                    folds.append((char) c);
                }
            }
            String expect = letter == 's' ? "Ss\u017f" : String.valueOf(Character.toUpperCase(letter)) + letter;
            assertEquals(expect, folds.toString(), "chars that (?i)" + letter + " matches");
        }
    }

    private static List<String> matches(SplitPattern p, String text, int start, int end) {
        List<String> out = new ArrayList<>();
        p.findMatches(text, start, end, (s, e) -> out.add(s + ":" + e));
        return out;
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }
}
