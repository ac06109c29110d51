package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CsvTableTest {
    private static final Path SRC = Path.of("test.csv");

    @Test
    void quotedFieldsWithCommasQuotesAndNewlines() {
        CsvTable t =
                CsvTable.parse(SRC, "Id,Text\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\nlines\"\r\n4,plain\r\n");
        assertEquals(4, t.size());
        assertEquals("a, b", t.get(0, "Text"));
        assertEquals("say \"hi\"", t.get(1, "Text"));
        assertEquals("two\nlines", t.get(2, "Text"));
        assertEquals("plain", t.get(3, 1));
    }

    @Test
    void lastLineWithoutNewlineAndEmptyFields() {
        CsvTable t = CsvTable.parse(SRC, "a,b,c\n,,x");
        assertEquals(1, t.size());
        assertEquals("", t.get(0, "a"));
        assertEquals("x", t.get(0, "c"));
    }

    @Test
    void missingColumnNamesTheColumnsThereAre() {
        CsvTable t = CsvTable.parse(SRC, "a,b\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.column("Label"));
        assertTrue(e.getMessage().contains("Label") && e.getMessage().contains("[a, b]"), e.getMessage());
    }

    @Test
    void raggedRowsAndUnclosedQuotesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CsvTable.parse(SRC, "a,b\n1,2,3\n"));
        assertThrows(IllegalArgumentException.class, () -> CsvTable.parse(SRC, "a,b\n1,\"2\n"));
        assertThrows(IllegalArgumentException.class, () -> CsvTable.parse(SRC, ""));
    }
}
