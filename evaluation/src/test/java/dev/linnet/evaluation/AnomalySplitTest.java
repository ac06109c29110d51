package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnomalySplitTest {
    @TempDir
    Path dir;

    @Test
    void bglPartsAreContiguousInTimeAndWarmHasNoAlert() throws Exception {
        LoghubFixture.writeBgl(dir, 20, List.of(0, 5, 15), new int[20]);
        AnomalySplit s = AnomalySplit.bgl(BglLog.load(dir), 0.1, 0.5);
        assertEquals(List.of(1), s.warm()); // lines 0 and 1 are warm; line 0 is an alert
        assertEquals(range(2, 10), s.validation());
        assertEquals(range(10, 20), s.test());
        assertThrows(IllegalArgumentException.class, () -> AnomalySplit.bgl(BglLog.load(dir), 0.5, 0.4));
    }

    @Test
    void hdfsWarmIsNormalTrainHeadValidationIsTrainTailTestIsTest() throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) rows.add(new String[] {i == 3 || i == 9 ? "1" : "0", "train", "T3 T4"});
        for (int i = 0; i < 4; i++) rows.add(1 + 2 * i, new String[] {"0", "test", "T3"}); // test rows interleaved
        LoghubFixture.writeHdfs(dir, rows);
        HdfsSessions d = HdfsSessions.load(dir);
        AnomalySplit s = AnomalySplit.hdfs(d, 0.2);
        List<Integer> train = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < d.sessions().size(); i++) (d.sessions().get(i).train() ? train : test).add(i);
        assertEquals(test, s.test());
        assertEquals(train.subList(8, 10), s.validation());
        List<Integer> warm = new ArrayList<>(train.subList(0, 8));
        warm.remove(Integer.valueOf(train.get(3))); // the anomalous one
        assertEquals(warm, s.warm());
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> l = new ArrayList<>();
        for (int i = from; i < to; i++) l.add(i);
        return l;
    }
}
