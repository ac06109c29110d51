package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NearestNormalEmbeddingTest {

    @Test
    void distanceIsOneMinusTheCosineOfTheNearestReference() {
        NearestNormalEmbedding n = new NearestNormalEmbedding(List.of(new float[] {1, 0, 0}, new float[] {0, 2, 0}));
        assertEquals(0.0, n.score(new float[] {5, 0, 0}), 1e-7, "same direction, any length");
        assertEquals(0.0, n.score(new float[] {0, 0.1f, 0}), 1e-7);
        assertEquals(1.0, n.score(new float[] {0, 0, 3}), 1e-7, "orthogonal to both");
        assertEquals(1 - Math.sqrt(0.5), n.score(new float[] {1, 0, 1}), 1e-6, "45 degrees from the nearer one");
        assertEquals(
                1.0,
                n.score(new float[] {-1, 0, 0}),
                1e-7,
                "opposite the first, orthogonal to the second: the nearer counts");
        assertEquals(
                2.0, new NearestNormalEmbedding(List.<float[]>of(new float[] {1, 0})).score(new float[] {-3, 0}), 1e-7);
        assertTrue(Double.isNaN(n.score(null)), "a session without an embedding has no score");
    }

    @Test
    void badInputIsRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> new NearestNormalEmbedding(new ArrayList<>()));
        List<float[]> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> new NearestNormalEmbedding(withNull));
        IllegalArgumentException sizes = assertThrows(
                IllegalArgumentException.class,
                () -> new NearestNormalEmbedding(List.of(new float[] {1, 0}, new float[] {1, 0, 0})));
        assertTrue(sizes.getMessage().contains("2 and 3"), sizes.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NearestNormalEmbedding(List.of(new float[] {0, 0})));
        NearestNormalEmbedding n = new NearestNormalEmbedding(List.<float[]>of(new float[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> n.score(new float[] {1, 0, 0}));
    }
}
