package dev.linnet.flink.cli;

import dev.linnet.flink.jobs.DigestSettings;
import dev.linnet.flink.jobs.ModelChoice;
import dev.linnet.flink.jobs.TopicDigestJob;
import dev.linnet.flink.jobs.TopicDigestSettings;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "topic-digest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Writes a rolling digest per key (document, channel, service).",
            "Every N records or T of event time per key, a JSON record (default topic linnet-digests): counts, the "
                    + "K most novel records (highest surprisal given the stream), the K most representative (closest "
                    + "to the stream's embedding) and, with --summary-tokens, text the model writes after a prompt "
                    + "from a copy of the stream's state. Exactly once; bad input goes to the dead-letter topic.",
            "",
            "Without --bootstrap-servers it runs embedded on the bundled sample logs and prints the digests.",
            ""})
final class TopicDigestCommand implements Callable<Integer> {

    static final String NAME = "linnet-topic-digest";
    static final String DEFAULT_OUTPUT_TOPIC = "linnet-digests";

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    ParseOptions parse = new ParseOptions();

    @Mixin
    JobOptions job = new JobOptions();

    @Option(names = "--every-records", paramLabel = "N", defaultValue = "100",
            description = "Close a key's digest after N records. Default: ${DEFAULT-VALUE}.")
    int everyRecords;

    @Option(names = "--every-time", paramLabel = "DURATION", defaultValue = "5min", converter = DurationConverter.class,
            description = "Or after this much event time since its first record (0 for never). Default: ${DEFAULT-VALUE}.")
    Duration everyTime;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3",
            description = "Novel and representative records listed per digest. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--summary-tokens", paramLabel = "N", defaultValue = "0",
            description = "Tokens of summary text the model writes per digest (0: none; it costs a second model pass "
                    + "over every record). Default: ${DEFAULT-VALUE}.")
    int summaryTokens;

    @Option(names = "--summary-prompt", paramLabel = "TEXT", defaultValue = "\nSummary:",
            description = "What the model is given, after the stream, before it writes the summary. Default: a new line and 'Summary:'.")
    String summaryPrompt;

    @Option(names = "--out-of-orderness", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "How late in event time records may arrive. Default: ${DEFAULT-VALUE}.")
    Duration outOfOrderness;

    @Mixin
    EmbeddedOptions embedded = new EmbeddedOptions();

    DigestSettings digestSettings() {
        return new DigestSettings(everyRecords, everyTime, top, summaryTokens, summaryPrompt, outOfOrderness);
    }

    @Override
    public Integer call() throws Exception {
        DigestSettings digest = digestSettings();
        var parseSettings = parse.settings();
        if (kafka.embedded()) {
            return new EmbeddedTopicDigestRun(this, digest, parseSettings).run();
        }
        StreamExecutionEnvironment env = FlinkSetup.cluster(job.checkpointDir, System.out);
        ModelChoice choice = ClusterModel.resolve(model, env);
        System.out.println("linnet topic-digest: model " + choice.description());
        TopicDigestSettings settings = new TopicDigestSettings(
                kafka.endpoints(kafka.bootstrapServers, NAME, DEFAULT_OUTPUT_TOPIC, false),
                choice.tokenizer(), parseSettings, model.tuning(choice), digest, job.checkpointInterval, job.parallelism);
        TopicDigestJob.build(env, settings);
        env.execute(NAME);
        return 0;
    }
}
