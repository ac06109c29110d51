package dev.linnet.flink.bench;

import dev.linnet.flink.operator.ScorerInput;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The benchmark's input: token-id records of many keys, interleaved, deterministic from a seed. */
final class BenchRecords {

    private BenchRecords() {}

    static ScorerInput record(BenchSettings s, int vocab, long index) {
        SplittableRandom r = new SplittableRandom(s.seed() * 0x9E3779B97F4A7C15L + index);
        String key = "stream-" + r.nextInt(s.keys());
        int[] tokens = new int[s.minTokens() + r.nextInt(s.maxTokens() - s.minTokens() + 1)];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(vocab);
        }
        return new ScorerInput(key, key + "#" + index, tokens);
    }

    static List<ScorerInput> all(BenchSettings s, int vocab) {
        List<ScorerInput> out = new ArrayList<>(s.records());
        for (int i = 0; i < s.records(); i++) {
            out.add(record(s, vocab, i));
        }
        return out;
    }
}
