package dev.linnet.flink.sql;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * A streaming SQL session on the test MiniCluster (parallelism 2, exactly-once checkpoints every 200 ms), its
 * linnet.* options pointing at the test model.
 */
final class SqlSession {

    final StreamExecutionEnvironment env;
    final StreamTableEnvironment tEnv;

    SqlSession(String backend) {
        this(backend, new Configuration());
    }

    SqlSession(String backend, Configuration conf) {
        conf.set(StateBackendOptions.STATE_BACKEND, backend);
        env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200, CheckpointingMode.EXACTLY_ONCE);
        tEnv = StreamTableEnvironment.create(env);
        SqlTestModel.configure(tEnv.getConfig());
    }

    /** Registers Linnet's three functions from the classpath, under their SQL names. */
    SqlSession withFunctions() {
        tEnv.createTemporarySystemFunction("LINNET_SCORE", LinnetScoreFunction.class);
        tEnv.createTemporarySystemFunction("LINNET_EMBED", LinnetEmbedFunction.class);
        tEnv.createTemporarySystemFunction("LINNET_SURPRISAL", LinnetSurprisalFunction.class);
        return this;
    }

    /** A bounded table {@code logs (id INT, host STRING, line STRING)} of {@code rows}, in order. */
    SqlSession withLogs(List<LogLines.LogRow> rows) {
        List<Row> data = new ArrayList<>();
        for (LogLines.LogRow r : rows) {
            data.add(Row.of(r.id(), r.host(), r.line()));
        }
        RowTypeInfo type = new RowTypeInfo(
                new TypeInformation<?>[] {Types.INT, Types.STRING, Types.STRING}, new String[] {"id", "host", "line"});
        tEnv.createTemporaryView("logs", tEnv.fromDataStream(env.fromData(type, data.toArray(new Row[0]))));
        return this;
    }

    static List<Row> collect(TableResult result) throws Exception {
        List<Row> out = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }
}
