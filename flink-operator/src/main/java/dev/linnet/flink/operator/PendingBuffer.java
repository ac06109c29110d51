package dev.linnet.flink.operator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records buffered for the next model call, per key in arrival order. A flush drains it in rounds: each round
 * holds at most one record per key (the oldest still waiting), so one key's records go through the model
 * one after another, in order, and never merge into one chunk; different keys share each round's batch.
 */
final class PendingBuffer {

    private final Map<Object, ArrayDeque<PendingRecord>> byKey = new LinkedHashMap<>();
    private long tokens;
    private int records;

    void add(PendingRecord r) {
        byKey.computeIfAbsent(r.key(), k -> new ArrayDeque<>()).addLast(r);
        tokens += r.chunk().length;
        records++;
    }

    boolean isEmpty() {
        return records == 0;
    }

    long tokens() {
        return tokens;
    }

    int records() {
        return records;
    }

    /** Distinct keys with buffered records. */
    int keyCount() {
        return byKey.size();
    }

    /** Keys with buffered records, in the order their first record arrived. */
    List<Object> keys() {
        return new ArrayList<>(byKey.keySet());
    }

    /** Takes the oldest waiting record of every key (keys in first-arrival order); empty when drained. */
    List<PendingRecord> nextRound() {
        List<PendingRecord> round = new ArrayList<>(byKey.size());
        for (Iterator<ArrayDeque<PendingRecord>> it = byKey.values().iterator(); it.hasNext(); ) {
            ArrayDeque<PendingRecord> queue = it.next();
            PendingRecord r = queue.pollFirst();
            round.add(r);
            tokens -= r.chunk().length;
            records--;
            if (queue.isEmpty()) {
                it.remove();
            }
        }
        return round;
    }

    /**
     * Splits a round into consecutive batches of at most {@code maxTokens} tokens each; a record longer than
     * that forms a batch of its own. Order is kept.
     */
    static List<List<PendingRecord>> batches(List<PendingRecord> round, int maxTokens) {
        List<List<PendingRecord>> out = new ArrayList<>();
        List<PendingRecord> current = new ArrayList<>();
        long currentTokens = 0;
        for (PendingRecord r : round) {
            int n = r.chunk().length;
            if (!current.isEmpty() && currentTokens + n > maxTokens) {
                out.add(current);
                current = new ArrayList<>();
                currentTokens = 0;
            }
            current.add(r);
            currentTokens += n;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }
}
