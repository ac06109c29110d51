package dev.linnet.flink.sql;

import dev.linnet.engine.model.ChunkResult;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;
import dev.linnet.flink.operator.LinnetMetrics;
import dev.linnet.flink.operator.OverLengthPolicy;
import dev.linnet.flink.operator.RejectReason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.annotation.ArgumentHint;
import org.apache.flink.table.annotation.ArgumentTrait;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.annotation.StateHint;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.dataview.MapView;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ProcessTableFunction;
import org.apache.flink.table.functions.SpecializedFunction;
import org.apache.flink.table.functions.TableSemantics;
import org.apache.flink.table.functions.UserDefinedFunction;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.CallContext;
import org.apache.flink.table.types.inference.StateTypeStrategy;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.types.Row;

/**
 * {@code LINNET_SCORE}: scores every row's text against the whole history of its partition, which is one
 * stream with its own model state (Flink keyed state), as the DataStream scorer does per key.
 *
 * <pre>{@code
 * SELECT * FROM LINNET_SCORE(
 *     input => TABLE logs PARTITION BY host,
 *     text => 'line',                 -- the column holding the text
 *     model_path => '/models/x',      -- optional; else linnet.model.path, else the bundled model
 *     top_k => 3,                     -- optional; else linnet.output.top-k
 *     embedding => TRUE,              -- optional; else linnet.output.embedding
 *     uid => 'linnet-score')          -- keep it stable: savepoints find the state by it
 * }</pre>
 *
 * <p>Output: every input column (passed through, so ids, offsets and event times stay with the scores), then
 * {@code stream_offset} (tokens of the stream before the row), {@code tokens}, {@code truncated},
 * {@code mean_surprisal} and {@code max_surprisal} (nats per token; NULL when no token was predicted: the
 * stream's very first token has no surprisal), the {@code top_k} most surprising tokens as
 * {@code top_positions}, {@code top_surprisals} and {@code top_spans} (char offsets from 0, end exclusive,
 * and the token's text), {@code embedding} (the final hidden state, or NULL unless asked for),
 * {@code tokens_seen} (of the stream, this row included) and {@code reject_reason} (NULL, or why the row
 * was not scored: a NULL or empty text, or one too long under the REJECT policy).
 *
 * <p>State: one entry per partition, a {@code MapView<STRING, BYTES>} holding the engine's
 * {@code StateCodec} bytes under one key. A map view goes straight to Flink's MapState; a PTF's value state
 * would be a row that the runtime copies twice and hashes and compares before and after every call, a few
 * passes over a state of up to megabytes per row. Decoded states stay in memory between rows (see
 * {@link PartitionStates}); each row's state is still written back before the call returns, because a
 * function has no hook before checkpoints. Per row that costs one encode of the state (plus RocksDB's
 * serialization, on that backend), against the operator's one write per key per flush; rows are not batched
 * across partitions either. The operator is the high-throughput path; this is the one-statement path.
 */
@PublicEvolving
@FunctionHint(output = @DataTypeHint(LinnetScoreFunction.OUTPUT_TYPE))
public final class LinnetScoreFunction extends ProcessTableFunction<Row> implements SpecializedFunction {

    private static final long serialVersionUID = 1L;

    static final String OUTPUT_TYPE = "ROW<stream_offset BIGINT, tokens INT, truncated BOOLEAN, mean_surprisal DOUBLE, "
            + "max_surprisal FLOAT, top_positions ARRAY<INT NOT NULL>, top_surprisals ARRAY<FLOAT NOT NULL>, "
            + "top_spans ARRAY<ROW<start_char INT, end_char INT, token_text STRING>>, embedding ARRAY<FLOAT NOT NULL>, "
            + "tokens_seen BIGINT, reject_reason STRING>";

    /** The state entry's name (part of the savepoint layout, with the call's uid). */
    static final String STATE_NAME = "linnet_stream";

    private static final String STATE_KEY = "state";
    private static final int TOKENS_SEEN_OFFSET = 40;

    // argument positions in the call (the declared order of eval's arguments)
    private static final int ARG_INPUT = 0;
    private static final int ARG_TEXT = 1;
    private static final int ARG_MODEL_PATH = 2;
    private static final int ARG_TOP_K = 3;
    private static final int ARG_EMBEDDING = 4;

    /** Null in the catalog's instance; set in the one specialized for a call. */
    private final SqlSettings settings;

    private final int textColumn;
    private final int[] partitionColumns;

    private transient ScoringModel scoring;
    private transient Model model;
    private transient PartitionStates states;
    private transient LinnetMetrics metrics;

    /** For the catalog ({@code CREATE FUNCTION ... AS}); every call is planned through {@link #specialize}. */
    public LinnetScoreFunction() {
        this(null, -1, new int[0]);
    }

    private LinnetScoreFunction(SqlSettings settings, int textColumn, int[] partitionColumns) {
        this.settings = settings;
        this.textColumn = textColumn;
        this.partitionColumns = partitionColumns;
    }

    /** Reads the call's arguments and the session's {@code linnet.*} options, and checks them, at planning. */
    @Override
    public UserDefinedFunction specialize(SpecializedContext context) {
        CallContext call = context.getCallContext();
        TableSemantics table = call.getTableSemantics(ARG_INPUT)
                .orElseThrow(
                        () -> new ValidationException(
                                "LINNET_SCORE: input must be a table partitioned by the stream key: input => TABLE t PARTITION BY key"));
        String column = call.getArgumentValue(ARG_TEXT, String.class)
                .orElseThrow(
                        () -> new ValidationException(
                                "LINNET_SCORE: text must be a string literal naming the input's text column, e.g. text => 'line'"));
        List<String> names = DataType.getFieldNames(table.dataType());
        int index = names.indexOf(column);
        if (index < 0) {
            throw new ValidationException(
                    "LINNET_SCORE: text => '" + column + "' names no column of the input; its columns are " + names);
        }
        DataType type = DataType.getFieldDataTypes(table.dataType()).get(index);
        if (!type.getLogicalType().is(LogicalTypeFamily.CHARACTER_STRING)) {
            throw new ValidationException("LINNET_SCORE: the text column '" + column + "' is " + type
                    + "; it must be a string (CAST it to STRING first)");
        }
        SqlSettings s;
        try {
            s = SqlSettings.from(context.getConfiguration())
                    .withModelPath(
                            call.getArgumentValue(ARG_MODEL_PATH, String.class).orElse(null))
                    .withTopK(call.getArgumentValue(ARG_TOP_K, Integer.class).orElse(null))
                    .withEmbedding(
                            call.getArgumentValue(ARG_EMBEDDING, Boolean.class).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("LINNET_SCORE: " + e.getMessage(), e);
        }
        return new LinnetScoreFunction(s, index, table.partitionByColumns().clone());
    }

    /** The extracted signature; in a call's instance, its state entry carries {@code linnet.state.ttl} when set. */
    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        TypeInference extracted = super.getTypeInference(typeFactory);
        if (settings == null || settings.stateTtl() == null) {
            return extracted;
        }
        LinkedHashMap<String, StateTypeStrategy> withTtl = new LinkedHashMap<>();
        extracted
                .getStateTypeStrategies()
                .forEach((name, strategy) -> withTtl.put(name, StateTypeStrategy.of(strategy, settings.stateTtl())));
        TypeInference.Builder b = TypeInference.newBuilder()
                .inputTypeStrategy(extracted.getInputTypeStrategy())
                .stateTypeStrategies(withTtl)
                .outputTypeStrategy(extracted.getOutputTypeStrategy())
                .disableSystemArguments(extracted.disableSystemArguments());
        extracted.getStaticArguments().ifPresent(b::staticArguments);
        return b.build();
    }

    @Override
    public void open(FunctionContext context) {
        if (settings == null) {
            throw new IllegalStateException("LINNET_SCORE was not specialized for its call by the planner");
        }
        scoring = ScoringModel.open(settings, context, "LINNET_SCORE");
        model = scoring.model();
        metrics = new LinnetMetrics(context.getMetricGroup());
        states = new PartitionStates(
                model, settings.statePrecision(), settings.onModelChange(), settings.cacheMaxStates(), metrics);
    }

    @Override
    public void close() {
        if (scoring != null) {
            scoring.close();
            scoring = null;
        }
    }

    public void eval(
            @StateHint(name = STATE_NAME) MapView<String, byte[]> stream,
            @ArgumentHint(
                            value = {ArgumentTrait.SET_SEMANTIC_TABLE, ArgumentTrait.PASS_COLUMNS_THROUGH},
                            name = "input")
                    Row input,
            @ArgumentHint(name = "text") String text,
            @ArgumentHint(name = "model_path", isOptional = true) String modelPath,
            @ArgumentHint(name = "top_k", isOptional = true) Integer topK,
            @ArgumentHint(name = "embedding", isOptional = true) Boolean embedding)
            throws Exception {
        // the literal arguments were read at planning (specialize); here only the row matters
        Object key = partitionKey(input);
        byte[] stored = stream.get(STATE_KEY);
        String line = (String) input.getField(textColumn);
        if (line == null || line.isEmpty()) {
            reject(RejectReason.EMPTY, line == null ? "the text is NULL" : "the text is empty", stored);
            return;
        }
        TextTokens tokens = scoring.tokenize(line);
        int n = tokens.size();
        if (n == 0) {
            reject(RejectReason.EMPTY, "the text has no tokens", stored);
            return;
        }
        boolean truncated = false;
        if (n > settings.maxTokensPerRecord()) {
            if (settings.overLength() == OverLengthPolicy.REJECT) {
                reject(
                        RejectReason.TOO_LONG,
                        n + " tokens, more than linnet.record.max-tokens = " + settings.maxTokensPerRecord(),
                        stored);
                return;
            }
            n = settings.maxTokensPerRecord();
            truncated = true;
            metrics.truncated.inc();
        }
        int[] chunk = n == tokens.size() ? tokens.ids() : Arrays.copyOf(tokens.ids(), n);
        metrics.recordsIn.inc();
        metrics.tokensIn.inc(n);

        StreamState state = states.load(key, stored);
        long offset = state.tokensSeen();
        long start = System.nanoTime();
        ChunkResult result = model.forward(state, chunk, ForwardOptions.DEFAULT);
        metrics.modelLatencyMs.update((System.nanoTime() - start) / 1_000_000);
        stream.put(STATE_KEY, states.store(key, state));

        RecordScores scores = RecordScores.of(result.surprisal(), settings.topK());
        Row[] spans = new Row[scores.topPositions.length];
        for (int i = 0; i < spans.length; i++) {
            int p = scores.topPositions[i];
            spans[i] = Row.of(tokens.startChar(p), tokens.endChar(p), tokens.tokenText(p));
        }
        collect(Row.of(
                offset,
                n,
                truncated,
                scores.mean,
                scores.max,
                boxed(scores.topPositions),
                boxed(scores.topSurprisals),
                spans,
                settings.emitEmbedding() ? boxed(result.embedding()) : null,
                state.tokensSeen(),
                null));
    }

    /** A row for a text that was not scored: the stream is unchanged, the reason says why. */
    private void reject(RejectReason reason, String detail, byte[] stored) {
        metrics.rejected(reason).inc();
        long seen = stored == null || stored.length < TOKENS_SEEN_OFFSET + Long.BYTES
                ? 0
                : ByteBuffer.wrap(stored, TOKENS_SEEN_OFFSET, Long.BYTES)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getLong();
        collect(Row.of(
                seen,
                0,
                false,
                null,
                null,
                new Integer[0],
                new Float[0],
                new Row[0],
                null,
                seen,
                reason.metricName() + ": " + detail));
    }

    // the row's ARRAY columns are converted from boxed arrays (their default conversion class)
    private static Integer[] boxed(int[] a) {
        Integer[] b = new Integer[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }

    private static Float[] boxed(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }

    private Object partitionKey(Row input) {
        if (partitionColumns.length == 1) {
            return input.getField(partitionColumns[0]);
        }
        Object[] values = new Object[partitionColumns.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = input.getField(partitionColumns[i]);
        }
        return Arrays.asList(values);
    }
}
