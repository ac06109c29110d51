package dev.linnet.flink.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingBufferTest {

    private static PendingRecord rec(String key, String id, int tokens) {
        return new PendingRecord(key, new ScorerInput(key, id, new int[tokens]), new int[tokens], false, 0, false);
    }

    @Test
    void roundsTakeOneRecordPerKeyInArrivalOrder() {
        PendingBuffer b = new PendingBuffer();
        b.add(rec("a", "a1", 2));
        b.add(rec("b", "b1", 3));
        b.add(rec("a", "a2", 4));
        b.add(rec("c", "c1", 1));
        b.add(rec("a", "a3", 1));
        b.add(rec("b", "b2", 1));
        assertEquals(12, b.tokens());
        assertEquals(6, b.records());
        assertEquals(List.of("a", "b", "c"), b.keys());

        List<List<String>> rounds = new ArrayList<>();
        while (!b.isEmpty()) {
            List<String> ids = new ArrayList<>();
            for (PendingRecord r : b.nextRound()) {
                ids.add(r.input().recordId);
            }
            rounds.add(ids);
        }
        assertEquals(List.of(List.of("a1", "b1", "c1"), List.of("a2", "b2"), List.of("a3")), rounds);
        assertEquals(0, b.tokens());
    }

    @Test
    void batchesRespectTheTokenBudgetAndKeepOrder() {
        List<PendingRecord> round =
                List.of(rec("a", "1", 3), rec("b", "2", 3), rec("c", "3", 5), rec("d", "4", 1), rec("e", "5", 2));
        List<List<PendingRecord>> batches = PendingBuffer.batches(round, 6);
        assertEquals(3, batches.size());
        assertEquals(List.of("1", "2"), ids(batches.get(0)));
        assertEquals(List.of("3", "4"), ids(batches.get(1)));
        assertEquals(List.of("5"), ids(batches.get(2)));
    }

    @Test
    void aRecordLongerThanTheBudgetGoesAlone() {
        List<List<PendingRecord>> batches =
                PendingBuffer.batches(List.of(rec("a", "1", 1), rec("b", "2", 9), rec("c", "3", 1)), 4);
        assertEquals(
                List.of(List.of("1"), List.of("2"), List.of("3")),
                batches.stream().map(PendingBufferTest::ids).toList());
        assertTrue(PendingBuffer.batches(List.of(), 4).isEmpty());
    }

    private static List<String> ids(List<PendingRecord> batch) {
        return batch.stream().map(r -> r.input().recordId).toList();
    }
}
