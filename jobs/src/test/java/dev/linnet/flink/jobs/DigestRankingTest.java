package dev.linnet.flink.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DigestRankingTest {

    private static DigestEntry entry(long offset, Double mean, float... embedding) {
        DigestEntry e = new DigestEntry();
        e.offset = offset;
        e.line = "line " + offset;
        e.meanSurprisal = mean;
        e.embedding = embedding;
        return e;
    }

    @Test
    void novelIsHighestMeanSurprisalFirstSkippingUnscored() {
        List<DigestEntry> es = List.of(entry(0, null), entry(1, 2.0), entry(2, 5.0), entry(3, 2.0), entry(4, 1.0));
        List<DigestItem> top = DigestAssembler.novel(es, 3);
        assertEquals(List.of(2L, 1L, 3L), top.stream().map(i -> i.offset).toList(), "ties by offset");
    }

    @Test
    void representativeIsClosestToTheMeanEmbedding() {
        // the embeddings sum to (4, 2): entry 2 points exactly that way; entries 0 and 3 tie next (ties by offset)
        List<DigestEntry> es =
                List.of(entry(0, 1.0, 1, 0), entry(1, 1.0, 0, 1), entry(2, 1.0, 2, 1), entry(3, 1.0, 1, 0));
        List<DigestItem> top = DigestAssembler.representative(es, 2);
        assertEquals(List.of(2L, 0L), top.stream().map(i -> i.offset).toList());
        assertEquals(1.0, top.get(0).similarity, 1e-6);
        assertEquals(2 / Math.sqrt(5), top.get(1).similarity, 1e-6);
    }

    @Test
    void cosineOfZeroVectorIsZero() {
        assertEquals(0.0, DigestAssembler.cosine(new float[] {0, 0}, new float[] {1, 0}));
        assertEquals(-1.0, DigestAssembler.cosine(new float[] {1, 1}, new float[] {-2, -2}), 1e-12);
    }
}
