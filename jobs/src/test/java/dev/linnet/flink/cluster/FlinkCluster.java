package dev.linnet.flink.cluster;

import java.time.Duration;
import java.util.List;

/**
 * A Flink session cluster that the cluster test drives: its REST API, and TaskManagers it can add and kill. Two
 * kinds: JVM processes on this machine ({@link FlinkProcessCluster}) and containers of the deploy image
 * ({@link FlinkContainerCluster}).
 */
interface FlinkCluster extends AutoCloseable {

    FlinkRest rest();

    /** Starts a TaskManager with this id; it registers with the JobManager by itself. */
    void startTaskManager(String id);

    /** Kills a TaskManager the hard way (SIGKILL: no goodbye to the JobManager); returns what was killed, for the log. */
    String killTaskManager(String id);

    /**
     * TaskManagers that have exited by themselves (not through {@link #killTaskManager}) since the last call, each
     * named once, as "id (how it ended)"; see {@link TaskManagerSupervisor}.
     */
    List<String> takeExitedTaskManagers();

    /** Waits until the REST API answers and exactly this many TaskManagers are registered. */
    void awaitTaskManagers(int count, Duration timeout);

    /** Where savepoints go, as a URI the cluster's own processes can write to. */
    String savepointDirectory();

    /** The last lines of every process's log, for a failure message. */
    String diagnostics();

    @Override
    void close();
}
