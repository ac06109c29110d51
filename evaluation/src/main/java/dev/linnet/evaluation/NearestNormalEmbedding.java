package dev.linnet.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores a session by how far its stream embedding (the model's final hidden state after the session's last
 * line, what the encode operator and {@code LINNET_EMBED} give) lies from the nearest embedding of a normal
 * reference session: one minus the largest cosine similarity. The model's counterpart of the count-vector
 * baseline: it sees the order of events and, through the state, what the session leads the model to expect
 * next, so a session cut short ends in a state no complete session ends in.
 */
public final class NearestNormalEmbedding {
    private final List<float[]> reference = new ArrayList<>();

    public NearestNormalEmbedding(List<float[]> normalEmbeddings) {
        int dim = -1;
        for (float[] e : normalEmbeddings) {
            if (e == null) throw new IllegalArgumentException("a normal reference session has no embedding");
            if (dim < 0) dim = e.length;
            if (e.length != dim)
                throw new IllegalArgumentException("reference embeddings of sizes " + dim + " and " + e.length);
            reference.add(unit(e));
        }
        if (reference.isEmpty()) throw new IllegalArgumentException("no normal session to compare with");
    }

    /** 1 - max cosine similarity to a reference embedding: 0 for a session ending where a normal one ends, up to 2. */
    public double score(float[] embedding) {
        if (embedding == null) return Double.NaN;
        if (embedding.length != reference.get(0).length) {
            throw new IllegalArgumentException(
                    "embedding of size " + embedding.length + ", the reference's are " + reference.get(0).length);
        }
        float[] u = unit(embedding);
        double best = Double.NEGATIVE_INFINITY;
        for (float[] r : reference) {
            double dot = 0;
            for (int i = 0; i < u.length; i++) dot += (double) u[i] * r[i];
            best = Math.max(best, dot);
        }
        return 1 - best;
    }

    private static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) norm += (double) x * x;
        norm = Math.sqrt(norm);
        if (norm == 0) throw new IllegalArgumentException("an embedding of all zeros has no direction");
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) u[i] = (float) (v[i] / norm);
        return u;
    }
}
