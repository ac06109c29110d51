package dev.linnet.flink.sql;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.annotation.DataTypeHint;

/**
 * {@code LINNET_EMBED(text)}: the embedding of one text read on an empty state, the model's final hidden
 * state after its last token ({@code ARRAY<FLOAT>} of the model's hidden size); NULL for a NULL or empty
 * text. Stateless: every call starts afresh, so rows do not affect each other (LINNET_SCORE keeps history).
 */
@PublicEvolving
public final class LinnetEmbedFunction extends StatelessFunction {

    private static final long serialVersionUID = 1L;

    /** For the catalog ({@code CREATE FUNCTION ... AS}); every call is planned through {@link #specialize}. */
    public LinnetEmbedFunction() {
        super(null);
    }

    private LinnetEmbedFunction(SqlSettings settings) {
        super(settings);
    }

    @Override
    StatelessFunction withSettings(SqlSettings settings) {
        return new LinnetEmbedFunction(settings);
    }

    @Override
    String sqlName() {
        return "LINNET_EMBED";
    }

    public @DataTypeHint("ARRAY<FLOAT NOT NULL>") float[] eval(String text) {
        StatelessText.Scored s = score(text);
        return s == null ? null : s.result().embedding();
    }
}
