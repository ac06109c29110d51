package dev.linnet.flink.operator;

import dev.linnet.engine.model.ChunkResult;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StateCodec;
import dev.linnet.engine.state.StreamState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Deterministic token-id streams, and what the bare engine says about them (the expected operator output). */
final class TestStreams {

    private TestStreams() {}

    /** The i-th record of a deterministic interleaving of {@code keys} streams; record ids are "key#n". */
    static ScorerInput record(long seed, int keys, int maxLen, int vocab, long index) {
        SplittableRandom rnd = new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L));
        String key = "stream-" + rnd.nextInt(keys);
        int[] tokens = new int[1 + rnd.nextInt(maxLen)];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rnd.nextInt(vocab);
        }
        return new ScorerInput(key, key + "@" + index, tokens);
    }

    static List<ScorerInput> records(long seed, int keys, int maxLen, int vocab, int count) {
        List<ScorerInput> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(record(seed, keys, maxLen, vocab, i));
        }
        return out;
    }

    /**
     * Runs each key's records one by one through {@link Model#forward} on its own state, in arrival order: the
     * results the operator must give bit for bit, whatever its batching. Keyed by record id.
     */
    static Map<String, ScoredRecord> expected(Model model, List<ScorerInput> records, int topK, boolean embedding) {
        return expected(model, records, topK, embedding, null);
    }

    /** As above, rounding each state as {@code storedAs} stores it after every record (null: float32, no rounding). */
    static Map<String, ScoredRecord> expected(
            Model model, List<ScorerInput> records, int topK, boolean embedding, StateCodec storedAs) {
        Map<String, StreamState> states = new HashMap<>();
        Map<String, ScoredRecord> out = new LinkedHashMap<>();
        for (ScorerInput in : records) {
            StreamState s = states.computeIfAbsent(in.key, k -> model.newState());
            long offset = s.tokensSeen();
            ChunkResult r = model.forward(s, in.tokens, ForwardOptions.DEFAULT);
            if (storedAs != null) {
                storedAs.roundInPlace(s);
            }
            SurpriseSummary sum = SurpriseSummary.of(r.surprisal(), topK);
            ScoredRecord e = new ScoredRecord();
            e.key = in.key;
            e.recordId = in.recordId;
            e.streamOffset = offset;
            e.tokens = in.tokens.length;
            e.meanSurprisal = sum.mean;
            e.maxSurprisal = sum.max;
            e.topPositions = sum.topPositions;
            e.topSurprisals = sum.topSurprisals;
            e.embedding = embedding ? r.embedding() : null;
            e.tokensSeen = s.tokensSeen();
            out.put(in.recordId, e);
        }
        return out;
    }
}
