package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BglLogTest {
    @TempDir
    Path dir;

    @Test
    void labelFieldIsCutOffAndHeaderAndBodySplit() throws Exception {
        LoghubFixture.writeBgl(dir, 4, List.of(2), new int[] {1, 1, 2, 1});
        BglLog log = BglLog.load(dir);
        assertEquals(4, log.entries().size());
        BglLog.Entry alert = log.entries().get(2);
        assertTrue(alert.alert());
        assertEquals(3, alert.lineId());
        assertEquals("E2", alert.template());
        assertEquals(
                "1117838572 2005.06.03 R02-M1-N0-C:J12-U2 2005-06-03-15.42.02.675872 R02-M1-N0-C:J12-U2",
                alert.header());
        assertEquals(" RAS KERNEL FATAL data TLB error interrupt, code 2", alert.body());
        for (BglLog.Entry e : log.entries()) {
            assertFalse((e.header() + e.body()).contains("KERNDTLB"), "the label must not reach the model");
            assertFalse(e.body().contains("\r"));
        }
    }

    @Test
    void labelsThatContradictTheLineAreRefused() throws Exception {
        LoghubFixture.writeBgl(dir, 3, List.of(1), new int[] {1, 2, 1});
        Path labels = dir.resolve("BGL/BGL_2k.line_labels.csv");
        Files.writeString(labels, Files.readString(labels).replace("2,KERNDTLB,1", "2,KERNDTLB,0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BglLog.load(dir));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void filesOfDifferentLengthsAreRefused() throws Exception {
        LoghubFixture.writeBgl(dir, 3, List.of(), new int[] {1, 1, 1});
        Path log = dir.resolve("BGL/BGL_2k.log");
        Files.writeString(log, Files.readString(log) + "- 1 2 3 4 5 RAS KERNEL INFO extra\r\n");
        assertThrows(IllegalArgumentException.class, () -> BglLog.load(dir));
    }

    @Test
    void missingFolderSaysWhere() {
        Exception e = assertThrows(java.io.IOException.class, () -> BglLog.load(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    }
}
