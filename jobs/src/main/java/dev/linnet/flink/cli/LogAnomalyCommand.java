package dev.linnet.flink.cli;

import dev.linnet.flink.jobs.AlarmRule;
import dev.linnet.flink.jobs.AnomalySettings;
import dev.linnet.flink.jobs.LogAnomalyJob;
import dev.linnet.flink.jobs.LogAnomalySettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "log-anomaly",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {LogAnomalyCommand.SUMMARY, LogAnomalyCommand.DETAILS, ""})
public class LogAnomalyCommand extends JobCommand<AnomalySettings, LogAnomalySettings> {

    /** The first line of --help. */
    public static final String SUMMARY = "Scores each log line against its key's own history and flags anomalies.";

    /** What the job reads and writes, for --help. */
    public static final String DETAILS =
            "Reads a Kafka topic of log lines; writes one JSON record per line (key, source partition/offset, "
                    + "timestamp, line, mean and max surprisal, z-score against the key's running statistics, "
                    + "anomaly flag, most surprising tokens) to the output topic (default linnet-log-scores), "
                    + "exactly once; bad input goes to the dead-letter topic with the reason.";

    public static final String NAME = "linnet-log-anomaly";
    static final String DEFAULT_OUTPUT_TOPIC = "linnet-log-scores";

    @Option(
            names = "--z-threshold",
            paramLabel = "Z",
            defaultValue = "3.0",
            description = "With --alarm z-score, a line is an anomaly when its mean surprisal is at least Z standard "
                    + "deviations above its key's running mean. Default: ${DEFAULT-VALUE}.")
    double zThreshold;

    @Option(
            names = "--alarm",
            paramLabel = "RULE",
            defaultValue = "z-score",
            converter = EnumConverter.AlarmRuleConverter.class,
            description =
                    "Which score flags a line: z-score (--z-threshold) or exceedance (--exceedance-threshold: how "
                            + "rarely the key has logged a line this surprising; one threshold means the same rate on every "
                            + "key). Every output record carries both. Default: ${DEFAULT-VALUE}.")
    AlarmRule alarm;

    @Option(
            names = "--exceedance-threshold",
            paramLabel = "E",
            defaultValue = "4.6",
            description = "With --alarm exceedance, a line is an anomaly when its key has logged a line at least as "
                    + "surprising in fewer than 1 of e^E earlier lines (4.6: 1 in 100; 6.9: 1 in 1000, so only once a "
                    + "key has logged 1000 lines). Default: ${DEFAULT-VALUE}.")
    double exceedanceThreshold;

    @Option(
            names = "--min-history",
            paramLabel = "N",
            defaultValue = "20",
            description = "Lines a key needs before its lines can be flagged. Default: ${DEFAULT-VALUE}.")
    int minHistory;

    @Option(
            names = "--stats-memory",
            paramLabel = "N",
            defaultValue = "1000",
            description =
                    "Lines after which the running statistics forget old lines exponentially. Default: ${DEFAULT-VALUE}.")
    int statsMemory;

    public LogAnomalyCommand() {
        super("linnet log-anomaly", NAME, DEFAULT_OUTPUT_TOPIC, LogAnomalySettings::new, LogAnomalyJob::build);
    }

    @Override
    AnomalySettings ownSettings() {
        return new AnomalySettings(zThreshold, minHistory, statsMemory, alarm, exceedanceThreshold);
    }
}
