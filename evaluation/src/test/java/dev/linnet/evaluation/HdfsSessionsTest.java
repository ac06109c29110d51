package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HdfsSessionsTest {
    @TempDir
    Path dir;

    @Test
    void readsLabelsSplitsEventsAndTemplates() throws Exception {
        LoghubFixture.writeHdfs(
                dir, List.of(new String[] {"0", "train", "T3 T2 T4"}, new String[] {"1", "test", "T3 T5"}));
        HdfsSessions d = HdfsSessions.load(dir);
        assertEquals(2, d.sessions().size());
        assertEquals(List.of("T3", "T2", "T4"), d.sessions().get(0).events());
        assertTrue(d.sessions().get(0).train());
        assertTrue(d.sessions().get(1).anomaly());
        assertEquals(
                "BLOCK* NameSystem.addStoredBlock: blockMap updated: <*> is added to <*> size <*>", d.template("T2"));
    }

    @Test
    void unknownTemplateOrBadLabelIsRefused() throws Exception {
        LoghubFixture.writeHdfs(dir, List.<String[]>of(new String[] {"0", "train", "T3 T9"}));
        Exception e = assertThrows(IllegalArgumentException.class, () -> HdfsSessions.load(dir));
        assertTrue(e.getMessage().contains("T9"), e.getMessage());
        LoghubFixture.writeHdfs(dir, List.<String[]>of(new String[] {"2", "train", "T3"}));
        assertThrows(IllegalArgumentException.class, () -> HdfsSessions.load(dir));
        LoghubFixture.writeHdfs(dir, List.<String[]>of(new String[] {"0", "dev", "T3"}));
        assertThrows(IllegalArgumentException.class, () -> HdfsSessions.load(dir));
    }
}
