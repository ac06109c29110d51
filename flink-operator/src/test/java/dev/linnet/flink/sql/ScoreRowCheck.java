package dev.linnet.flink.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.linnet.engine.model.ChunkResult;
import java.util.List;
import org.apache.flink.types.Row;

/** Compares a LINNET_SCORE output row with the bare engine's result for the same text, bit for bit. */
final class ScoreRowCheck {

    private final List<String> columns;

    ScoreRowCheck(List<String> columns) {
        this.columns = columns;
    }

    Object get(Row row, String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return row.getField(i);
    }

    /** SQL arrays come back boxed (their default conversion class). */
    static float[] unbox(Float[] boxed) {
        float[] a = new float[boxed.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = boxed[i];
        }
        return a;
    }

    void assertScored(Row row, String text, SqlTestModel.Expected e, int topK, boolean embedding) {
        String where = "row " + row;
        ChunkResult r = e.result();
        RecordScores want = RecordScores.of(r.surprisal(), topK);
        assertEquals(e.offset(), get(row, "stream_offset"), where);
        assertEquals(e.ids().length, get(row, "tokens"), where);
        assertEquals(false, get(row, "truncated"), where);
        if (want.mean == null) {
            assertNull(get(row, "mean_surprisal"), where);
            assertNull(get(row, "max_surprisal"), where);
        } else {
            assertEquals(
                    Double.doubleToRawLongBits(want.mean),
                    Double.doubleToRawLongBits((Double) get(row, "mean_surprisal")),
                    where);
            assertEquals(
                    Float.floatToRawIntBits(want.max),
                    Float.floatToRawIntBits((Float) get(row, "max_surprisal")),
                    where);
        }
        Integer[] positions = (Integer[]) get(row, "top_positions");
        Float[] surprisals = (Float[]) get(row, "top_surprisals");
        Row[] spans = (Row[]) get(row, "top_spans");
        assertEquals(want.topPositions.length, positions.length, where);
        TextTokens tokens = new SpanTokenizer(SqlTestModel.tokenizer()).encode(text);
        for (int i = 0; i < positions.length; i++) {
            assertEquals(want.topPositions[i], positions[i], where);
            assertEquals(Float.floatToRawIntBits(want.topSurprisals[i]), Float.floatToRawIntBits(surprisals[i]), where);
            int p = positions[i];
            assertEquals(tokens.startChar(p), spans[i].getField(0), where);
            assertEquals(tokens.endChar(p), spans[i].getField(1), where);
            assertEquals(text.substring(tokens.startChar(p), tokens.endChar(p)), spans[i].getField(2), where);
        }
        if (embedding) {
            assertArrayEquals(r.embedding(), unbox((Float[]) get(row, "embedding")), where);
        } else {
            assertNull(get(row, "embedding"), where);
        }
        assertEquals(e.tokensSeen(), get(row, "tokens_seen"), where);
        assertNull(get(row, "reject_reason"), where);
    }
}
