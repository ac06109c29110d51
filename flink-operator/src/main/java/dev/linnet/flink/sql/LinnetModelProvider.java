package dev.linnet.flink.sql;

import java.util.List;
import org.apache.flink.table.functions.PredictFunction;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.ml.PredictRuntimeProvider;

/** A planned Linnet model: its settings and output columns; makes the predict function ML_PREDICT runs. */
final class LinnetModelProvider implements PredictRuntimeProvider {

    private final SqlSettings settings;
    private final List<PredictColumn> outputs;

    LinnetModelProvider(SqlSettings settings, List<PredictColumn> outputs) {
        this.settings = settings;
        this.outputs = List.copyOf(outputs);
    }

    @Override
    public PredictFunction createPredictFunction(Context context) {
        return new LinnetPredictFunction(settings, outputs);
    }

    /** Immutable: a copy is the same provider. */
    @Override
    public ModelProvider copy() {
        return new LinnetModelProvider(settings, outputs);
    }
}
