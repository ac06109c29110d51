package dev.linnet.flink.sql;

import dev.linnet.flink.sql.StatelessText.Scored;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * The columns a Linnet model can have in its {@code OUTPUT (...)} schema, by name, each with the type it
 * must be declared with and how its value comes from a scored text (Flink's internal data structures).
 */
enum PredictColumn {
    TOKENS("tokens", "INT", t -> t.scoredTokens()),
    TRUNCATED("truncated", "BOOLEAN", t -> t.truncated()),
    MEAN_SURPRISAL("mean_surprisal", "DOUBLE", t -> RecordScores.of(t.result().surprisal(), 0).mean),
    MAX_SURPRISAL("max_surprisal", "FLOAT", t -> RecordScores.of(t.result().surprisal(), 0).max),
    EMBEDDING("embedding", "ARRAY<FLOAT>", t -> new GenericArrayData(t.result().embedding()));

    final String columnName;
    final String sqlType;
    private final Function<Scored, Object> value;

    PredictColumn(String columnName, String sqlType, Function<Scored, Object> value) {
        this.columnName = columnName;
        this.sqlType = sqlType;
        this.value = value;
    }

    Object valueOf(Scored scored) {
        return value.apply(scored);
    }

    /**
     * The column called {@code name}, checked against its declared type.
     *
     * @throws IllegalArgumentException naming the column and what is allowed
     */
    static PredictColumn of(String name, LogicalType declared) {
        for (PredictColumn c : values()) {
            if (c.columnName.equalsIgnoreCase(name)) {
                if (!c.accepts(declared)) {
                    throw new IllegalArgumentException("output column " + name + " is " + declared.asSummaryString()
                            + "; declare it " + c.sqlType);
                }
                return c;
            }
        }
        throw new IllegalArgumentException("output column " + name + " is not one a Linnet model gives; it gives "
                + Arrays.stream(values())
                        .map(c -> c.columnName + " " + c.sqlType)
                        .collect(Collectors.joining(", ")));
    }

    private boolean accepts(LogicalType t) {
        switch (this) {
            case TOKENS:
                return t.is(LogicalTypeRoot.INTEGER);
            case TRUNCATED:
                return t.is(LogicalTypeRoot.BOOLEAN);
            case MEAN_SURPRISAL:
                return t.is(LogicalTypeRoot.DOUBLE);
            case MAX_SURPRISAL:
                return t.is(LogicalTypeRoot.FLOAT);
            case EMBEDDING:
                return t.is(LogicalTypeRoot.ARRAY)
                        && ((ArrayType) t).getElementType().is(LogicalTypeRoot.FLOAT);
            default:
                return false;
        }
    }
}
