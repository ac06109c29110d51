package dev.linnet.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BpeMergeTest {

    @Test
    void heapAndArrayScanMergeInTheSameOrder() {
        BytePairModel model = ParityFixtures.tokenizer("gpt2-style").model();
        SplittableRandom rnd = new SplittableRandom(5);
        String alphabet = "etaoinshrdlucmfwypvbgkjqxz    ..,,0123456789ééü日本";
        for (int n = 0; n < 300; n++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + rnd.nextInt(n < 200 ? 40 : 3000);
            for (int k = 0; k < len; k++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(model.mergeBytes(bytes, false), model.mergeBytes(bytes, true), sb.toString());
        }
    }

    @Test
    void lowestRankMergesFirstAndLeftmostAmongEquals() {
        // a tiny vocabulary where the order decides the result
        Map<String, Integer> vocab = Map.of("a", 0, "b", 1, "c", 2, "ab", 3, "bc", 4, "abc", 5, "aa", 6);
        BytePairModel m = new BytePairModel(
                vocab,
                List.of(new String[] {"b", "c"}, new String[] {"a", "b"}, new String[] {"a", "bc"}, new String[] {
                    "a", "a"
                }),
                false,
                null,
                false,
                false);
        // "abc": (b,c) ranks 0 before (a,b) 1, then (a,bc) gives abc
        assertArrayEquals(new int[] {5}, m.mergeBytes("abc".getBytes(StandardCharsets.US_ASCII), false));
        // "aaa": (a,a) at 0 before (a,a) at 1
        assertArrayEquals(new int[] {6, 0}, m.mergeBytes("aaa".getBytes(StandardCharsets.US_ASCII), false));
        assertArrayEquals(new int[] {6, 0}, m.mergeBytes("aaa".getBytes(StandardCharsets.US_ASCII), true));
        // bytes with no vocabulary symbol and no unk_token are dropped, as HF does
        assertArrayEquals(new int[] {3}, m.mergeBytes("axb".getBytes(StandardCharsets.US_ASCII), false));
    }

    @Test
    void unknownBytesBecomeUnkFusedOrNot() {
        Map<String, Integer> vocab = Map.of("a", 0, "<unk>", 1);
        byte[] text = "axya".getBytes(StandardCharsets.US_ASCII);
        BytePairModel fused = new BytePairModel(vocab, List.of(), false, "<unk>", true, false);
        assertArrayEquals(new int[] {0, 1, 0}, fused.mergeBytes(text, false));
        BytePairModel separate = new BytePairModel(vocab, List.of(), false, "<unk>", false, false);
        assertArrayEquals(new int[] {0, 1, 1, 0}, separate.mergeBytes(text, false));
    }

    @Test
    void laterDuplicateMergeReplacesEarlierOne() {
        PairMergeTable t = new PairMergeTable(4);
        t.put(1, 2, 0, 7);
        t.put(1, 2, 5, 7);
        assertEquals(5L << 32 | 7, t.get(1, 2));
        assertEquals(-1L, t.get(2, 1));
    }
}
