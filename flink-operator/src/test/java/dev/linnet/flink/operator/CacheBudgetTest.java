package dev.linnet.flink.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CacheBudgetTest {
    static final long MB = 1_000_000;

    @Test
    void theConfiguredCountStandsWhereItsShareOfTheHeapHoldsIt() {
        assertEquals(256, CacheBudget.states(256, 5_861_152, 5L << 30, 2));
    }

    @Test
    void aCacheTheHeapCannotHoldIsLowered() {
        // three quarters of the heap, shared by the slots, over the state's bytes; three quarters of that cached
        assertEquals(90, CacheBudget.states(1024, 9 * MB, 1440 * MB, 1));
        assertEquals(87, CacheBudget.states(1024, 4_770_720, 750 * MB, 1));
        assertEquals(43, CacheBudget.states(1024, 4_770_720, 750 * MB, 2));
        assertEquals(1, CacheBudget.states(1024, 4_770_720, 1 * MB, 4));
    }

    @Test
    void aFlushMayHoldWhatTheCacheLeaves() {
        // 120 states fit a slot: a cache of 90 leaves 30 keys a flush, a smaller cache leaves more
        assertEquals(30, CacheBudget.flushKeys(90, 9 * MB, 1440 * MB, 1));
        assertEquals(110, CacheBudget.flushKeys(10, 9 * MB, 1440 * MB, 1));
        assertEquals(1, CacheBudget.flushKeys(1, 4_770_720, 1 * MB, 4));
        for (long heap : new long[] {1L << 30, 8L << 30, 64L << 30}) {
            int cached = CacheBudget.states(1024, 5_861_152, heap, 2);
            long held = (long) (cached + CacheBudget.flushKeys(cached, 5_861_152, heap, 2)) * 5_861_152 * 2;
            assertTrue(held <= 0.75 * heap, heap + ": " + held);
        }
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CacheBudget.states(0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> CacheBudget.states(1, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> CacheBudget.flushKeys(1, 0, 1, 1));
    }
}
