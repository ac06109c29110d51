package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BaselinesTest {
    @Test
    void streamingFirstSeenFlagsOnlyTheFirstOccurrenceOfANewTemplate() {
        FirstSeenTemplate f = new FirstSeenTemplate(List.of(List.of("A"), List.of("B")), true);
        boolean[] flags = f.flags(List.of(List.of("A"), List.of("C"), List.of("C"), List.of("B", "D"), List.of("D")));
        assertArrayEquals(new boolean[] {false, true, false, true, false}, flags);
    }

    @Test
    void fixedFirstSeenFlagsEveryItemOutsideTheWarmTemplates() {
        FirstSeenTemplate f = new FirstSeenTemplate(List.of(List.of("A"), List.of("B")), false);
        boolean[] flags = f.flags(List.of(List.of("A"), List.of("C"), List.of("C"), List.of("B", "D"), List.of("D")));
        assertArrayEquals(new boolean[] {false, true, true, true, true}, flags);
    }

    @Test
    void countVectorDistanceIsL1ToTheNearestNormalSession() {
        CountVectorDistance c = new CountVectorDistance(List.of(List.of("A", "A", "B"), List.of("A", "C")));
        assertEquals(0, c.score(List.of("B", "A", "A"))); // same counts, other order
        assertEquals(1, c.score(List.of("A", "A", "A", "B"))); // one A more than the first
        assertEquals(1, c.score(List.of("A"))); // one C less than the second
        assertEquals(3, c.score(List.of("A", "C", "X", "X", "X")), "unknown templates count too");
    }

    @Test
    void rarityRisesForRareTemplatesAndLearnsAsItGoes() {
        TemplateRarity r = new TemplateRarity(List.of("A", "A", "A", "B"));
        double[] s = r.scores(List.of("A", "B", "C", "C"));
        assertEquals(-Math.log(4.0 / 5), s[0], 1e-12);
        assertEquals(-Math.log(2.0 / 6), s[1], 1e-12);
        assertEquals(-Math.log(1.0 / 7), s[2], 1e-12);
        assertEquals(-Math.log(2.0 / 8), s[3], 1e-12);
        assertTrue(s[2] > s[1] && s[1] > s[0]);
    }
}
