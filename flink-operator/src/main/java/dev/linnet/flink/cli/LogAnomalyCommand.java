package dev.linnet.flink.cli;

import dev.linnet.flink.jobs.AnomalySettings;
import dev.linnet.flink.jobs.LogAnomalyJob;
import dev.linnet.flink.jobs.LogAnomalySettings;
import dev.linnet.flink.jobs.ModelChoice;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "log-anomaly", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Scores each log line against its key's own history and flags anomalies.",
            "Reads a Kafka topic of log lines; writes one JSON record per line (key, source partition/offset, "
                    + "timestamp, line, mean and max surprisal, z-score against the key's running statistics, "
                    + "anomaly flag, most surprising spans) to the output topic (default linnet-log-scores), "
                    + "exactly once; bad input goes to the dead-letter topic with the reason.",
            "",
            "Without --bootstrap-servers it runs embedded: an in-JVM Kafka broker, a local Flink MiniCluster, the "
                    + "bundled model and sample logs through the same Kafka source and sinks; it prints the scored "
                    + "lines and writes an HTML chart of scores over time per key.",
            ""})
final class LogAnomalyCommand implements Callable<Integer> {

    static final String NAME = "linnet-log-anomaly";
    static final String DEFAULT_OUTPUT_TOPIC = "linnet-log-scores";

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

    @Option(names = "--z-threshold", paramLabel = "Z", defaultValue = "3.0",
            description = "A line is an anomaly when its mean surprisal is at least Z standard deviations above its "
                    + "key's running mean. Default: ${DEFAULT-VALUE}.")
    double zThreshold;

    @Option(names = "--min-history", paramLabel = "N", defaultValue = "20",
            description = "Lines a key needs before its lines can be flagged. Default: ${DEFAULT-VALUE}.")
    int minHistory;

    @Option(names = "--stats-memory", paramLabel = "N", defaultValue = "1000",
            description = "Lines after which the running statistics forget old lines exponentially. Default: ${DEFAULT-VALUE}.")
    int statsMemory;

    @Mixin
    EmbeddedOptions embedded = new EmbeddedOptions();

    @Override
    public Integer call() throws Exception {
        AnomalySettings anomaly = new AnomalySettings(zThreshold, minHistory, statsMemory);
        var parseSettings = parse.settings();
        if (kafka.embedded()) {
            return new EmbeddedLogAnomalyRun(this, anomaly, parseSettings).run();
        }
        StreamExecutionEnvironment env = FlinkSetup.cluster(job.checkpointDir, System.out);
        ModelChoice choice = ClusterModel.resolve(model, env);
        System.out.println("linnet log-anomaly: model " + choice.description());
        LogAnomalySettings settings = new LogAnomalySettings(
                kafka.endpoints(kafka.bootstrapServers, NAME, DEFAULT_OUTPUT_TOPIC, false),
                choice.tokenizer(), parseSettings, model.tuning(choice), anomaly, job.checkpointInterval, job.parallelism);
        LogAnomalyJob.build(env, settings);
        env.execute(NAME);
        return 0;
    }
}
