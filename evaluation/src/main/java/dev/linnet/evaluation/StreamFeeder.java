package dev.linnet.evaluation;

import dev.linnet.engine.model.ChunkResult;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds many independent streams through a model in chunks, as many at once as a row budget allows
 * (one {@link Model#forwardBatch} call a step), and keeps every token's surprisal. Each state is advanced
 * in place. The engine gives each stream the same numbers whatever shares its batch, so batching is only
 * a matter of speed.
 */
public final class StreamFeeder {
    private final Model model;
    private final int chunk;
    private final int batchTokens;
    private long tokensFed;

    /**
     * @param chunk       most tokens of one stream per step
     * @param batchTokens most tokens of all streams together per step (at least one chunk)
     */
    public StreamFeeder(Model model, int chunk, int batchTokens) {
        if (chunk <= 0) throw new IllegalArgumentException("chunk must be positive, got " + chunk);
        if (batchTokens < chunk)
            throw new IllegalArgumentException("batch budget " + batchTokens + " is below one chunk of " + chunk);
        this.model = model;
        this.chunk = chunk;
        this.batchTokens = batchTokens;
    }

    /** Total tokens this feeder has pushed through the model. */
    public long tokensFed() {
        return tokensFed;
    }

    /**
     * What feeding gives each stream.
     *
     * @param surprisal per stream, each token's surprisal (nats)
     * @param embedding per stream, the model's embedding after its last token (null for a stream given no token)
     */
    public record Fed(float[][] surprisal, float[][] embedding) {}

    /** Advances states.get(i) over tokens.get(i) for every i; returns each stream's per-token surprisal (nats). */
    public float[][] feed(List<StreamState> states, List<int[]> tokens) {
        return feedAll(states, tokens).surprisal();
    }

    /** As {@link #feed(List, List)}, also keeping each stream's embedding after its last token. */
    public Fed feedAll(List<StreamState> states, List<int[]> tokens) {
        if (states.size() != tokens.size())
            throw new IllegalArgumentException(states.size() + " states but " + tokens.size() + " token lists");
        int n = states.size();
        float[][] out = new float[n][];
        float[][] embedding = new float[n][];
        int[] done = new int[n];
        for (int i = 0; i < n; i++) out[i] = new float[tokens.get(i).length];
        int next = 0; // streams are taken in turn so that none waits for ever
        while (true) {
            List<Integer> members = new ArrayList<>();
            List<StreamState> batchStates = new ArrayList<>();
            List<int[]> batchChunks = new ArrayList<>();
            int rows = 0;
            for (int k = 0; k < n; k++) {
                int i = (next + k) % n;
                int left = tokens.get(i).length - done[i];
                if (left == 0) continue;
                int take = Math.min(chunk, left);
                if (rows > 0 && rows + take > batchTokens) break;
                int[] piece = new int[take];
                System.arraycopy(tokens.get(i), done[i], piece, 0, take);
                members.add(i);
                batchStates.add(states.get(i));
                batchChunks.add(piece);
                rows += take;
            }
            if (members.isEmpty()) return new Fed(out, embedding);
            List<ChunkResult> results = model.forwardBatch(batchStates, batchChunks, ForwardOptions.DEFAULT);
            for (int m = 0; m < members.size(); m++) {
                int i = members.get(m);
                float[] s = results.get(m).surprisal();
                System.arraycopy(s, 0, out[i], done[i], s.length);
                done[i] += s.length;
                embedding[i] = results.get(m).embedding();
            }
            tokensFed += rows;
            next = (members.get(members.size() - 1) + 1) % n;
        }
    }

    /** One stream: advances the state and returns the surprisal of each token. */
    public float[] feed(StreamState state, int[] tokens) {
        return feed(List.of(state), List.of(tokens))[0];
    }
}
