package dev.linnet.flink.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * What Kubernetes or a Compose restart policy does for a real cluster: a TaskManager that exits by itself is
 * replaced by a new one (id + "r"). The test's own SIGKILL is not replaced here (the scenario starts tm-3, tm-4, tm-5 for its kills).
 *
 * <p>Why the test needs it: when a TaskManager is lost, Flink 2.2.1 can end a surviving TaskManager too. Cancelling
 * a task whose input still holds a buffer from the lost TaskManager's channel rethrows that channel's error while
 * the buffer is recycled ("FATAL - exception in exception handler of task", BufferManager.recycle), and the
 * TaskManager exits with code 1. Seen here in one of two runs on a machine loaded by two busy loops: without a
 * replacement the job had no slots left and never recovered. Every replacement is logged, so a run shows it.
 */
final class TaskManagerSupervisor implements AutoCloseable {

    private final FlinkCluster flink;
    private final ProgressWait clock;
    private final Thread thread;
    private final List<String> replaced = new ArrayList<>();
    private volatile boolean running = true;

    TaskManagerSupervisor(FlinkCluster flink, ProgressWait clock) {
        this.flink = flink;
        this.clock = clock;
        this.thread = new Thread(this::supervise, "taskmanager-supervisor");
        thread.setDaemon(true);
        thread.start();
    }

    private void supervise() {
        while (running) {
            try {
                for (String exited : flink.takeExitedTaskManagers()) {
                    String id = exited.substring(0, exited.indexOf(' '));
                    clock.log("TaskManager " + exited + " exited by itself; starting " + id + "r in its place");
                    flink.startTaskManager(id + "r");
                    synchronized (replaced) {
                        replaced.add(exited);
                    }
                }
            } catch (RuntimeException e) {
                clock.log("TaskManager supervisor: " + e);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The TaskManagers that exited by themselves and were replaced. */
    List<String> replaced() {
        synchronized (replaced) {
            return List.copyOf(replaced);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
