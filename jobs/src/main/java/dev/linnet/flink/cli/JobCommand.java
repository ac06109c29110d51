package dev.linnet.flink.cli;

import dev.linnet.flink.jobs.KafkaEndpoints;
import dev.linnet.flink.jobs.LineParseSettings;
import dev.linnet.flink.jobs.ModelChoice;
import dev.linnet.flink.jobs.ScorerTuning;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Mixin;

/**
 * What the job commands share: the Kafka, model, parsing and job options, and what a call does with them: the
 * job submitted against the given Kafka. Without --bootstrap-servers a call runs {@link #runEmbedded}, which
 * here is a usage error; the local runner's commands extend these and run the job on an in-JVM broker there
 * (picocli lists a superclass's options first, so their --help keeps the order Kafka, model, parsing, job, own,
 * then theirs).
 *
 * @param <O> the job's own options, as the job takes them (they check themselves)
 * @param <S> the job's settings
 */
public abstract class JobCommand<O, S> implements Callable<Integer> {

    @Mixin
    KafkaArgs kafka = new KafkaArgs();

    @Mixin
    ModelArgs model = new ModelArgs();

    @Mixin
    ParseArgs parse = new ParseArgs();

    @Mixin
    JobArgs job = new JobArgs();

    private final String title;
    private final String jobName;
    private final String defaultOutputTopic;
    private final JobSettingsFactory<O, S> settingsFactory;
    private final BiConsumer<StreamExecutionEnvironment, S> jobBuilder;

    JobCommand(
            String title,
            String jobName,
            String defaultOutputTopic,
            JobSettingsFactory<O, S> settingsFactory,
            BiConsumer<StreamExecutionEnvironment, S> jobBuilder) {
        this.title = title;
        this.jobName = jobName;
        this.defaultOutputTopic = defaultOutputTopic;
        this.settingsFactory = settingsFactory;
        this.jobBuilder = jobBuilder;
    }

    /** The command's own options as its job takes them. */
    abstract O ownSettings();

    /** A call without --bootstrap-servers; the job jar has no broker of its own, so it says what to give. */
    protected int runEmbedded(O own, LineParseSettings parseSettings) throws Exception {
        throw new IllegalArgumentException("--bootstrap-servers is required: this jar runs the job against a given "
                + "Kafka; the run on bundled sample logs with a Kafka broker in the JVM is linnet-local.jar's");
    }

    /** How the command introduces itself, e.g. "linnet log-anomaly". */
    public final String title() {
        return title;
    }

    /** The job's name (also its default consumer group and transactional id prefix). */
    public final String jobName() {
        return jobName;
    }

    /** The model the options name: --model, else the bundled default model, else the stand-in. */
    public final ModelChoice resolveModel() throws IOException {
        return model.resolve();
    }

    /** The topics and client settings the options give, against {@code bootstrap}. */
    public final KafkaEndpoints endpoints(String bootstrap, boolean bounded) {
        return kafka.endpoints(bootstrap, jobName, defaultOutputTopic, bounded);
    }

    /** --checkpoint-interval when given, else {@code otherwise}. */
    public final Duration checkpointInterval(Duration otherwise) {
        return job.checkpointInterval(new Configuration(), otherwise);
    }

    /** --parallelism; 0 when not given. */
    public final int parallelism() {
        return job.parallelism;
    }

    /** --checkpoint-dir; null when not given. */
    public final String checkpointDir() {
        return job.checkpointDir;
    }

    @Override
    public final Integer call() throws Exception {
        O own = ownSettings();
        if (kafka.embedded()) {
            return runEmbedded(own, parse.settings());
        }
        StreamExecutionEnvironment env = FlinkSetup.cluster(job.checkpointDir, System.out);
        // the job's configuration: the cluster's config.yaml, a FlinkDeployment's flinkConfiguration, -D on
        // submission; a flag given on this command line overrides what it sets
        ReadableConfig config = env.getConfiguration();
        LineParseSettings parseSettings = parse.settings(config);
        ModelChoice choice = ClusterModel.resolve(model, env);
        System.out.println(title + ": model " + choice.description());
        Duration interval = job.checkpointInterval(config, JobArgs.DEFAULT_CHECKPOINT_INTERVAL);
        S settings = settings(
                kafka.endpoints(kafka.bootstrapServers, jobName, defaultOutputTopic, false),
                choice,
                parseSettings,
                own,
                interval,
                job.parallelism,
                config);
        ScorerTuning tuning = model.tuning(choice, config);
        System.out.println(title + ": " + describe(tuning, parseSettings) + "; checkpoints every " + interval);
        if (config.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE) != CheckpointingMode.EXACTLY_ONCE) {
            System.out.println("WARNING: execution.checkpointing.mode is "
                    + config.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE)
                    + ": after a restore the output topics may hold some records twice (EXACTLY_ONCE avoids that)");
        }
        build(env, settings);
        env.execute(jobName);
        return 0;
    }

    /** The settings a job runs with, in one line. */
    static String describe(ScorerTuning t, LineParseSettings parse) {
        return "max " + parse.maxTokens() + " tokens and " + parse.maxRecordBytes() + " bytes a line, state "
                + t.statePrecision() + " " + t.stateLayout()
                + (t.stateTtl() == null ? " kept for ever" : " forgotten after " + t.stateTtl())
                + ", " + t.cacheMaxStates() + " cached states, batches of " + t.batchMaxTokens() + " tokens or "
                + t.batchMaxDelay().toMillis() + " ms, top " + t.topK() + " tokens, on model change "
                + t.onModelChange();
    }

    /**
     * The job's settings, with the tokenizer of the chosen model and the scorer settings of the flags given, else
     * the options' defaults (checked as they are made).
     */
    public final S settings(
            KafkaEndpoints endpoints,
            ModelChoice choice,
            LineParseSettings parseSettings,
            O own,
            Duration checkpointInterval,
            int parallelism) {
        return settings(endpoints, choice, parseSettings, own, checkpointInterval, parallelism, new Configuration());
    }

    /**
     * As {@link #settings(KafkaEndpoints, ModelChoice, LineParseSettings, Object, Duration, int)}, with the scorer
     * settings that no flag gives from {@code config}'s {@code linnet.*} options.
     */
    public final S settings(
            KafkaEndpoints endpoints,
            ModelChoice choice,
            LineParseSettings parseSettings,
            O own,
            Duration checkpointInterval,
            int parallelism,
            ReadableConfig config) {
        return settingsFactory.create(
                endpoints,
                choice.tokenizer(),
                parseSettings,
                model.tuning(choice, config),
                own,
                checkpointInterval,
                parallelism);
    }

    /** Adds the job to {@code env}; the caller executes it. */
    public final void build(StreamExecutionEnvironment env, S settings) {
        jobBuilder.accept(env, settings);
    }
}
