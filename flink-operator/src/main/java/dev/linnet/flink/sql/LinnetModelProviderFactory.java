package dev.linnet.flink.sql;

import dev.linnet.flink.operator.LinnetOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedCatalogModel;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.types.logical.LogicalTypeFamily;

/**
 * The {@code linnet} model provider (found through Java's service loader), for stateless scoring in SQL:
 *
 * <pre>{@code
 * CREATE MODEL line_model
 *   INPUT (text STRING)
 *   OUTPUT (mean_surprisal DOUBLE, embedding ARRAY<FLOAT>)
 *   WITH ('provider' = 'linnet', 'model.path' = '/models/x');
 * SELECT * FROM ML_PREDICT(TABLE logs, MODEL line_model, DESCRIPTOR(line));
 * }</pre>
 *
 * One STRING input; any of the outputs of {@link PredictColumn}, by name. Each row is scored on an empty
 * state: ML_PREDICT has no keyed state, so history per key is LINNET_SCORE's job.
 */
@PublicEvolving
public final class LinnetModelProviderFactory implements ModelProviderFactory {

    public static final String IDENTIFIER = "linnet";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(
                LinnetModelOptions.MODEL_PATH,
                LinnetModelOptions.TOKENIZER_PATH,
                LinnetModelOptions.WINDOW_BOUND,
                LinnetModelOptions.MAX_TOKENS_PER_RECORD,
                LinnetModelOptions.OVER_LENGTH);
    }

    @Override
    public ModelProvider createModelProvider(Context context) {
        FactoryUtil.ModelProviderFactoryHelper helper = FactoryUtil.createModelProviderFactoryHelper(this, context);
        helper.validate();
        ResolvedCatalogModel model = context.getCatalogModel();
        String name = context.getObjectIdentifier().asSummaryString();
        List<Column> inputs = model.getResolvedInputSchema().getColumns();
        if (inputs.size() != 1
                || !inputs.get(0).getDataType().getLogicalType().is(LogicalTypeFamily.CHARACTER_STRING)) {
            throw new ValidationException("Linnet model " + name
                    + ": its INPUT must be one string column (the text), got " + model.getResolvedInputSchema());
        }
        List<PredictColumn> outputs = new ArrayList<>();
        for (Column c : model.getResolvedOutputSchema().getColumns()) {
            try {
                outputs.add(PredictColumn.of(c.getName(), c.getDataType().getLogicalType()));
            } catch (IllegalArgumentException e) {
                throw new ValidationException("Linnet model " + name + ": " + e.getMessage(), e);
            }
        }
        try {
            return new LinnetModelProvider(settings(helper.getOptions(), context.getConfiguration()), outputs);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Linnet model " + name + ": " + e.getMessage(), e);
        }
    }

    /** The session's linnet.* options with the model's own on top. */
    private static SqlSettings settings(ReadableConfig modelOptions, ReadableConfig session) {
        Configuration merged = new Configuration();
        copy(session, merged, LinnetOptions.MODEL_PATH, LinnetOptions.MODEL_PATH);
        copy(session, merged, LinnetSqlOptions.TOKENIZER_PATH, LinnetSqlOptions.TOKENIZER_PATH);
        copy(session, merged, LinnetOptions.WINDOW_BOUND, LinnetOptions.WINDOW_BOUND);
        copy(session, merged, LinnetOptions.MAX_TOKENS_PER_RECORD, LinnetOptions.MAX_TOKENS_PER_RECORD);
        copy(session, merged, LinnetOptions.OVER_LENGTH, LinnetOptions.OVER_LENGTH);
        copy(modelOptions, merged, LinnetModelOptions.MODEL_PATH, LinnetOptions.MODEL_PATH);
        copy(modelOptions, merged, LinnetModelOptions.TOKENIZER_PATH, LinnetSqlOptions.TOKENIZER_PATH);
        copy(modelOptions, merged, LinnetModelOptions.WINDOW_BOUND, LinnetOptions.WINDOW_BOUND);
        copy(modelOptions, merged, LinnetModelOptions.MAX_TOKENS_PER_RECORD, LinnetOptions.MAX_TOKENS_PER_RECORD);
        copy(modelOptions, merged, LinnetModelOptions.OVER_LENGTH, LinnetOptions.OVER_LENGTH);
        return SqlSettings.from(merged);
    }

    private static <T> void copy(
            ReadableConfig from, Configuration to, ConfigOption<T> source, ConfigOption<T> target) {
        from.getOptional(source).ifPresent(v -> to.set(target, v));
    }
}
