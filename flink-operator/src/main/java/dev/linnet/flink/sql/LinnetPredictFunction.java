package dev.linnet.flink.sql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.PredictFunction;

/**
 * What ML_PREDICT calls per row of a Linnet model: the text (the one input column) scored on an empty state,
 * the model's output columns filled from it. A text that is not scored (NULL, empty, or too long under
 * REJECT) gives a row of NULLs, so no input row disappears. Public: the planner's generated code calls it.
 */
@Internal
public final class LinnetPredictFunction extends PredictFunction {

    private static final long serialVersionUID = 1L;

    private final SqlSettings settings;
    private final PredictColumn[] outputs;

    private transient StatelessText texts;

    LinnetPredictFunction(SqlSettings settings, List<PredictColumn> outputs) {
        this.settings = settings;
        this.outputs = outputs.toArray(new PredictColumn[0]);
    }

    @Override
    public void open(FunctionContext context) {
        texts = StatelessText.open(settings, context, "ML_PREDICT");
    }

    @Override
    public void close() {
        if (texts != null) {
            texts.close();
            texts = null;
        }
    }

    @Override
    public Collection<RowData> predict(RowData input) {
        StringData text = input.isNullAt(0) ? null : input.getString(0);
        StatelessText.Scored scored = texts.score(text == null ? null : text.toString());
        GenericRowData row = new GenericRowData(outputs.length);
        if (scored != null) {
            for (int i = 0; i < outputs.length; i++) {
                row.setField(i, outputs[i].valueOf(scored));
            }
        }
        List<RowData> out = new ArrayList<>(1);
        out.add(row);
        return out;
    }
}
