package dev.linnet.flink.cli;

import dev.linnet.flink.jobs.KafkaEndpoints;
import dev.linnet.flink.jobs.LineParseSettings;
import dev.linnet.flink.jobs.ModelChoice;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the job commands share: the Kafka, model, parsing and job options, and what a call does with them: without
 * --bootstrap-servers an embedded run, else the job submitted against the given Kafka.
 *
 * <p>A subclass declares its own options and then its {@code @Mixin EmbeddedOptions}: picocli lists a
 * superclass's options first, so --help keeps the order Kafka, model, parsing, job, own, embedded.
 *
 * @param <O> the job's own options, as the job takes them (they check themselves)
 * @param <S> the job's settings
 */
abstract class JobCommand<O, S> implements Callable<Integer> {

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

    /** How the command introduces itself, e.g. "linnet log-anomaly". */
    final String title;
    final String jobName;
    final String defaultOutputTopic;
    private final JobSettingsFactory<O, S> settingsFactory;
    private final BiConsumer<StreamExecutionEnvironment, S> jobBuilder;

    JobCommand(String title, String jobName, String defaultOutputTopic, JobSettingsFactory<O, S> settingsFactory,
               BiConsumer<StreamExecutionEnvironment, S> jobBuilder) {
        this.title = title;
        this.jobName = jobName;
        this.defaultOutputTopic = defaultOutputTopic;
        this.settingsFactory = settingsFactory;
        this.jobBuilder = jobBuilder;
    }

    /** The command's own options as its job takes them. */
    abstract O ownSettings();

    /** The run without a broker: sample logs through the job on a local MiniCluster. */
    abstract int runEmbedded(O own, LineParseSettings parseSettings) throws Exception;

    @Override
    public final Integer call() throws Exception {
        O own = ownSettings();
        LineParseSettings parseSettings = parse.settings();
        if (kafka.embedded()) {
            return runEmbedded(own, parseSettings);
        }
        StreamExecutionEnvironment env = FlinkSetup.cluster(job.checkpointDir, System.out);
        ModelChoice choice = ClusterModel.resolve(model, env);
        System.out.println(title + ": model " + choice.description());
        S settings = settings(kafka.endpoints(kafka.bootstrapServers, jobName, defaultOutputTopic, false), choice,
                parseSettings, own, job.checkpointInterval, job.parallelism);
        build(env, settings);
        env.execute(jobName);
        return 0;
    }

    /** The job's settings, with the tokenizer and encoder tuning of the chosen model (checked as they are made). */
    final S settings(KafkaEndpoints endpoints, ModelChoice choice, LineParseSettings parseSettings, O own,
                     Duration checkpointInterval, int parallelism) {
        return settingsFactory.create(endpoints, choice.tokenizer(), parseSettings, model.tuning(choice), own,
                checkpointInterval, parallelism);
    }

    /** Adds the job to {@code env}; the caller executes it. */
    final void build(StreamExecutionEnvironment env, S settings) {
        jobBuilder.accept(env, settings);
    }
}
