package dev.linnet.flink.bench;

import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;
import dev.linnet.flink.operator.ScorerInput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline: the same records through the bare engine, from one thread or several (its kernels use every
 * core either way), batched
 * as the operator batches them: records buffered up to the token budget, then rounds of one record per key,
 * each round's records run as batches of at most the budget through {@link Model#forwardBatch}. States stay
 * in memory; nothing is encoded, checkpointed or emitted.
 */
final class BareEngineRun {

    private BareEngineRun() {}

    /**
     * Runs all records on {@code callers} threads, each with the keys whose hash falls to it (as keyBy splits
     * them across parallel instances), each in record order; returns the wall-clock nanoseconds it took.
     */
    static long run(Model model, List<ScorerInput> records, int batchTokens, int callers) throws InterruptedException {
        List<List<ScorerInput>> shares = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            shares.add(new ArrayList<>());
        }
        for (ScorerInput r : records) {
            shares.get(Math.floorMod(r.key.hashCode(), callers)).add(r);
        }
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (List<ScorerInput> share : shares) {
            Thread t = new Thread(() -> run(model, share, batchTokens), "bare-engine-caller");
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return System.nanoTime() - start;
    }

    /** Runs all records in this thread; returns the nanoseconds it took. */
    static long run(Model model, List<ScorerInput> records, int batchTokens) {
        Map<String, StreamState> states = new HashMap<>();
        LinkedHashMap<String, ArrayDeque<int[]>> buffered = new LinkedHashMap<>();
        long start = System.nanoTime();
        long tokens = 0;
        for (ScorerInput r : records) {
            buffered.computeIfAbsent(r.key, k -> new ArrayDeque<>()).addLast(r.tokens);
            tokens += r.tokens.length;
            if (tokens >= batchTokens) {
                flush(model, states, buffered, batchTokens);
                tokens = 0;
            }
        }
        flush(model, states, buffered, batchTokens);
        return System.nanoTime() - start;
    }

    private static void flush(
            Model model,
            Map<String, StreamState> states,
            LinkedHashMap<String, ArrayDeque<int[]>> buffered,
            int batchTokens) {
        while (!buffered.isEmpty()) {
            List<StreamState> batchStates = new ArrayList<>();
            List<int[]> batchChunks = new ArrayList<>();
            int batchSize = 0;
            var it = buffered.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                int[] chunk = e.getValue().pollFirst();
                if (!batchChunks.isEmpty() && batchSize + chunk.length > batchTokens) {
                    model.forwardBatch(batchStates, batchChunks, ForwardOptions.DEFAULT);
                    batchStates = new ArrayList<>();
                    batchChunks = new ArrayList<>();
                    batchSize = 0;
                }
                batchStates.add(states.computeIfAbsent(e.getKey(), k -> model.newState()));
                batchChunks.add(chunk);
                batchSize += chunk.length;
                if (e.getValue().isEmpty()) {
                    it.remove();
                }
            }
            if (!batchChunks.isEmpty()) {
                model.forwardBatch(batchStates, batchChunks, ForwardOptions.DEFAULT);
            }
        }
    }
}
