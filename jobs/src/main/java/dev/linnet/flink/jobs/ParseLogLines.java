package dev.linnet.flink.jobs;

import dev.linnet.flink.operator.ScorerInput;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The stateless front of both jobs: decodes, keys, tokenizes and truncates each Kafka record
 * ({@link LogLineParser}); dead letters go to {@link #DEAD_LETTERS}, also those of a record whose reading threw
 * ({@link DeadLetterReason#PARSE_FAILED}): one record never fails the task. Metrics under {@code linnet.jobs}:
 * {@code records-in}, {@code tokens-in}, and one {@code dead-letter.<reason>} counter per reason.
 */
public final class ParseLogLines extends ProcessFunction<RawLogRecord, ScorerInput> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("linnet-dead-letters", TypeInformation.of(DeadLetter.class));

    private final LineParseSettings settings;
    private final TokenizerSpec tokenizer;

    private transient LogLineParser parser;
    private transient Counter recordsIn;
    private transient Counter tokensIn;
    private transient Map<DeadLetterReason, Counter> deadLetters;

    public ParseLogLines(LineParseSettings settings, TokenizerSpec tokenizer) {
        this.settings = settings;
        this.tokenizer = tokenizer;
    }

    @Override
    public void open(OpenContext context) {
        parser = new LogLineParser(settings, tokenizer.create());
        MetricGroup group =
                getRuntimeContext().getMetricGroup().addGroup("linnet").addGroup("jobs");
        recordsIn = group.counter("records-in");
        tokensIn = group.counter("tokens-in");
        deadLetters = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason r : DeadLetterReason.values()) {
            deadLetters.put(r, group.addGroup("dead-letter").counter(r.metricName()));
        }
    }

    @Override
    public void processElement(RawLogRecord raw, Context ctx, Collector<ScorerInput> out) {
        recordsIn.inc();
        LogLineParser.Parsed parsed;
        try {
            parsed = parser.parse(raw);
        } catch (RuntimeException | StackOverflowError e) { // a StackOverflowError: a key regex deep in a long line
            parsed = new LogLineParser.Parsed(null, null, List.of(DeadLetters.parseFailed(raw, e)));
        }
        for (DeadLetter d : parsed.deadLetters()) {
            deadLetters.get(d.reason).inc();
            ctx.output(DEAD_LETTERS, d);
        }
        if (parsed.input() != null) {
            tokensIn.inc(parsed.input().tokens.length);
            out.collect(parsed.input());
        }
    }
}
