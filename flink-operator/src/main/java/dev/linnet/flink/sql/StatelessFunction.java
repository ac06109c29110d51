package dev.linnet.flink.sql;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.table.functions.SpecializedFunction;
import org.apache.flink.table.functions.UserDefinedFunction;

/**
 * What Linnet's scalar functions share: planned with the session's {@code linnet.*} options (read in
 * {@link #specialize}, so {@code SET 'linnet.model.path' = ...} applies), the model shared per JVM, and one
 * text scored on an empty state per call.
 */
abstract class StatelessFunction extends ScalarFunction implements SpecializedFunction {

    private static final long serialVersionUID = 1L;

    /** Null in the catalog's instance; set in the one specialized for a call. */
    private final SqlSettings settings;

    private transient StatelessText texts;

    StatelessFunction(SqlSettings settings) {
        this.settings = settings;
    }

    /** A copy of this function that runs with {@code settings}. */
    abstract StatelessFunction withSettings(SqlSettings settings);

    /** The SQL name, for messages. */
    abstract String sqlName();

    @Override
    public UserDefinedFunction specialize(SpecializedContext context) {
        try {
            return withSettings(SqlSettings.from(context.getConfiguration()));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(sqlName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void open(FunctionContext context) {
        if (settings == null) {
            throw new IllegalStateException(sqlName() + " was not specialized for its call by the planner");
        }
        texts = StatelessText.open(settings, context, sqlName());
    }

    /**
     * Never evaluated by the planner: a call on a literal would otherwise open the model (and read files) in the
     * process that plans the statement, outside any TaskManager and its allowed directories.
     */
    @Override
    public boolean supportsConstantFolding() {
        return false;
    }

    @Override
    public void close() {
        if (texts != null) {
            texts.close();
            texts = null;
        }
    }

    /** Scores {@code text}; null when it is not scored (NULL, empty, or too long under REJECT). */
    final StatelessText.Scored score(String text) {
        return texts.score(text);
    }
}
