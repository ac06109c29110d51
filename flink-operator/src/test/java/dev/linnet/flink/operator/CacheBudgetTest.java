package dev.linnet.flink.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CacheBudgetTest {
    static final long MB = 1_000_000;

    @Test
    void theConfiguredCountStandsWhereHalfTheHeapHoldsIt() {
        assertEquals(400, CacheBudget.states(400, 4_770_720, 5L << 30, 2));
    }

    @Test
    void aCacheTheHeapCannotHoldIsLowered() {
        // three quarters of the heap, shared by the slots, over the state's bytes
        assertEquals(120, CacheBudget.states(1024, 9 * MB, 1440 * MB, 1));
        assertEquals(117, CacheBudget.states(1024, 4_770_720, 750 * MB, 1));
        assertEquals(58, CacheBudget.states(1024, 4_770_720, 750 * MB, 2));
        assertEquals(1, CacheBudget.states(1024, 4_770_720, 1 * MB, 4));
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CacheBudget.states(0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> CacheBudget.states(1, 1, 1, 0));
    }
}
